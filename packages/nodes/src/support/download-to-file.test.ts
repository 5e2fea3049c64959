import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext } from '../testing/test-context.ts'
import { downloadToFile } from './download-to-file.ts'

let dir: string
let server: Server
let base: string

/** Sends `chunks` of 1 KiB each without a Content-Length, so only counting can catch a large body. */
const kib = (chunks: number) => Array.from({ length: chunks }, () => new Uint8Array(1024).fill(7))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-download-'))
  server = createServer((request, response) => {
    const [, route, count] = request.url?.split('/') ?? []
    if (route === 'chunks') {
      response.writeHead(200, { 'transfer-encoding': 'chunked' })
      for (const chunk of kib(Number(count))) response.write(chunk)
      response.end()
    } else if (route === 'busy') response.writeHead(503, { 'retry-after': '2' }).end()
    else response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

describe('downloadToFile', () => {
  it('streams the body into the file', async () => {
    const path = join(dir, 'ok')
    await downloadToFile(createTestContext().ctx, `${base}/chunks/3`, path, 4096)
    expect((await readFile(path)).byteLength).toBe(3072)
  })

  it('stops with TOO_LARGE once the body passes the limit, even without a Content-Length', async () => {
    const run = downloadToFile(createTestContext().ctx, `${base}/chunks/8`, join(dir, 'big'), 4096)
    await expect(run).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: `${base}/chunks/8 is larger than the 4096 bytes limit`,
    })
  })

  it('fails retryably on a 503 with its Retry-After, and for good on a 404', async () => {
    const { ctx } = createTestContext()
    await expect(downloadToFile(ctx, `${base}/busy`, join(dir, 'x'), 4096)).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      retryable: true,
      retryAfterMs: 2000,
    })
    await expect(downloadToFile(ctx, `${base}/nope`, join(dir, 'x'), 4096)).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      retryable: false,
    })
  })

  it('refuses URLs that are not http(s)', async () => {
    const run = downloadToFile(createTestContext().ctx, 'file:///etc/passwd', join(dir, 'x'), 4096)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_URL' })
  })
})
