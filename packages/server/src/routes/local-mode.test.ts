import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { isLoopbackHost, serverConfigFromEnv } from '../config.ts'
import { helloWorkflow } from '../testing/fixtures.ts'
import { startTestServer, type TestServer } from '../testing/test-server.ts'

// Local mode spares a laptop user the sign-in, and must never open an unauthenticated server
// to anything but this machine's own, same-origin requests.

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A raw request, so the Host header can be anything (fetch always sends the real one). */
function rawGet(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url)
    const req = request({ host: target.hostname, port: target.port, path: '/api/v1/me', headers: { host } }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('error', reject)
    req.end()
  })
}

describe('local mode', () => {
  it('is on only for loopback addresses, and refuses to be forced on for a public one', () => {
    expect(serverConfigFromEnv({ HOST: '127.0.0.1' }).localMode).toBe(true)
    expect(serverConfigFromEnv({ HOST: '::1' }).localMode).toBe(true)
    expect(serverConfigFromEnv({ HOST: 'localhost', PATCHBAY_LOCAL_MODE: 'off' }).localMode).toBe(false)
    expect(serverConfigFromEnv({ HOST: '0.0.0.0' }).localMode).toBe(false)
    expect(serverConfigFromEnv({ HOST: '192.168.1.20' }).localMode).toBe(false)
    expect(() => serverConfigFromEnv({ HOST: '0.0.0.0', PATCHBAY_LOCAL_MODE: 'on' })).toThrow(/loopback/)
    expect(isLoopbackHost('127.8.9.10')).toBe(true)
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false)
  })

  it('lets anonymous loopback requests act as the default organisation’s owner', async () => {
    server = await startTestServer({ env: { PATCHBAY_LOCAL_MODE: 'auto' } })
    const me = (await (await server.fetch('/api/v1/me')).json()) as { via: string; organisations: { role: string }[] }
    expect(me).toMatchObject({ via: 'local', organisations: [{ id: 'default', role: 'owner' }] })
    const created = await server.fetch('/api/v1/workflows', { method: 'POST', json: helloWorkflow() })
    expect(created.status).toBe(201)
    const run = await server.fetch('/api/v1/runs?wait=30', {
      method: 'POST',
      json: { workflowId: ((await created.json()) as { id: string }).id },
    })
    expect(((await run.json()) as { status: string }).status).toBe('succeeded')
  })

  it('refuses DNS-rebinding hosts and cross-site writes even on loopback', async () => {
    server = await startTestServer({ env: { PATCHBAY_LOCAL_MODE: 'auto' } })
    expect(await rawGet(server.url, new URL(server.url).host)).toBe(200)
    expect(await rawGet(server.url, 'localhost:1234')).toBe(200)
    expect(await rawGet(server.url, 'evil.example:8080')).toBe(401)
    const crossSite = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      json: helloWorkflow(),
    })
    expect(crossSite.status).toBe(403)
    const fetchMetadata = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'cross-site' },
      json: helloWorkflow(),
    })
    expect(fetchMetadata.status).toBe(403)
  })

  it('requires sign-in when the server listens on every interface', async () => {
    server = await startTestServer({ env: { HOST: '0.0.0.0', PATCHBAY_LOCAL_MODE: 'auto' } })
    expect(server.services.config.localMode).toBe(false)
    const port = new URL(server.url).port
    const anonymous = await fetch(`http://127.0.0.1:${port}/api/v1/workflows`)
    expect(anonymous.status).toBe(401)
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED')
  })

  it('requires sign-in when local mode is switched off', async () => {
    server = await startTestServer({ env: { PATCHBAY_LOCAL_MODE: 'off' } })
    expect((await server.fetch('/api/v1/workflows')).status).toBe(401)
  })
})
