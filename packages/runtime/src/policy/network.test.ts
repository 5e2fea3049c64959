import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGuardedFetch, isPrivateAddress } from './network.ts'

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['1.1.1.1', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:8.8.8.8', false],
    ['not an ip', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected)
  })
})

describe('guarded fetch', () => {
  let server: Server
  let port: number
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/redirect') {
        response.writeHead(302, { location: `http://localhost:${port}/ok` }).end()
      } else response.writeHead(200, { 'content-type': 'text/plain' }).end('hello')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const signal = new AbortController().signal

  it('refuses loopback and private targets by default, naming the setting that allows them', async () => {
    const guarded = createGuardedFetch({ allowPrivateHosts: [] }, signal)
    await expect(guarded(`http://127.0.0.1:${port}/ok`)).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS_BLOCKED',
      message: expect.stringContaining('PATCHBAY_ALLOW_PRIVATE_HOSTS=127.0.0.1'),
    })
    await expect(guarded(`http://localhost:${port}/ok`)).rejects.toMatchObject({ code: 'PRIVATE_ADDRESS_BLOCKED' })
  })

  it('reaches an allow-listed host', async () => {
    const guarded = createGuardedFetch({ allowPrivateHosts: ['127.0.0.1'] }, signal)
    const response = await guarded(`http://127.0.0.1:${port}/ok`)
    expect(await response.text()).toBe('hello')
  })

  it('checks every redirect hop', async () => {
    const guarded = createGuardedFetch({ allowPrivateHosts: ['127.0.0.1'] }, signal)
    await expect(guarded(`http://127.0.0.1:${port}/redirect`)).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS_BLOCKED',
      message: expect.stringContaining('localhost'),
    })
    const everything = createGuardedFetch({ allowPrivateHosts: ['*'], allowAllPrivate: true }, signal)
    expect(await (await everything(`http://127.0.0.1:${port}/redirect`)).text()).toBe('hello')
  })

  it('refuses a name that rebinds to a private address between the check and the connection', async () => {
    let lookups = 0
    // Public for the first answer (the check), loopback for the next (the connection).
    const resolve = async () => (lookups++ === 0 ? ['93.184.216.34'] : ['127.0.0.1'])
    const guarded = createGuardedFetch({ allowPrivateHosts: [], resolve }, signal)
    await expect(guarded(`http://rebind.example:${port}/ok`)).rejects.toMatchObject({
      code: 'PRIVATE_ADDRESS_BLOCKED',
      message: expect.stringContaining('127.0.0.1'),
    })
    expect(lookups).toBe(2)
  })

  it('connects to the address the check saw for a name allowed to be private', async () => {
    const resolve = async () => ['127.0.0.1']
    const guarded = createGuardedFetch({ allowPrivateHosts: ['printer.lan'], resolve }, signal)
    expect(await (await guarded(`http://printer.lan:${port}/ok`)).text()).toBe('hello')
  })

  it('accepts only http and https URLs', async () => {
    const guarded = createGuardedFetch({ allowPrivateHosts: [], allowAllPrivate: true }, signal)
    await expect(guarded('file:///etc/passwd')).rejects.toMatchObject({ code: 'INVALID_URL' })
    await expect(guarded('not a url')).rejects.toMatchObject({ code: 'INVALID_URL' })
  })
})
