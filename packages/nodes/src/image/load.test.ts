import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { decodePixels, isColour, splitImage } from '../testing/test-images.ts'
import { imageLoad } from './load.ts'

let dir: string
let png: Uint8Array
let server: Server
let base: string
let test: TestContext

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'patchbay-image-load-'))
  png = await splitImage({ width: 100, height: 50 })
  await writeFile(join(dir, 'split.png'), png)
  await writeFile(join(dir, 'split.webp'), await splitImage({ width: 30, height: 20, format: 'webp' }))
  await writeFile(join(dir, 'empty.png'), new Uint8Array(0))
  await writeFile(join(dir, 'notes.png'), 'just some text, not an image')
  await writeFile(join(dir, 'truncated.png'), png.slice(0, Math.floor(png.byteLength * 0.6)))
  await writeFile(join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')

  server = createServer((request, response) => {
    switch (request.url) {
      case '/images/split.png?token=secret':
        response.writeHead(200, { 'content-type': 'image/png' }).end(png)
        return
      case '/busy':
        response.writeHead(503, { 'retry-after': '3' }).end('try later')
        return
      case '/page':
        response.writeHead(200, { 'content-type': 'image/png' }).end('<html><body>Not an image</body></html>')
        return
      default:
        response.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(dir, { recursive: true, force: true })
})

afterEach(async () => {
  await test?.dispose()
})

describe('image.load from a file', () => {
  it('stores the file’s bytes as an image asset with its size and MIME type', async () => {
    test = createTestContext({ dir })
    const { image } = await runNode(imageLoad, { params: { path: 'split.png' } }, test)
    expect(image).toMatchObject({ kind: 'image', mime: 'image/png', width: 100, height: 50, bytes: png.byteLength })
    const stored = await test.ctx.assets.read(image!)
    expect(Buffer.from(stored).equals(Buffer.from(png))).toBe(true)
    const pixels = await decodePixels(stored)
    expect(isColour(pixels.pixel(10, 10), 'red', 0)).toBe(true)
    expect(isColour(pixels.pixel(90, 10), 'blue', 0)).toBe(true)
  })

  it('reads the format from the bytes, not the file name', async () => {
    test = createTestContext({ dir })
    const { image } = await runNode(imageLoad, { params: { path: join(dir, 'split.webp') } }, test)
    expect(image).toMatchObject({ mime: 'image/webp', width: 30, height: 20 })
  })

  it('fails with FILE_NOT_FOUND for a missing file', async () => {
    test = createTestContext({ dir })
    const run = runNode(imageLoad, { params: { path: 'nope.png' } }, test)
    await expect(run).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', retryable: false })
  })

  it.each([
    ['empty.png', /is empty/],
    ['notes.png', /is not a supported image/],
    ['truncated.png', /damaged or truncated/],
    ['logo.svg', /is not a supported image: it is image\/svg\+xml/],
  ])('rejects %s with a non-retryable INVALID_IMAGE', async (file, message) => {
    test = createTestContext({ dir })
    const run = runNode(imageLoad, { params: { path: file } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
    await expect(run).rejects.toThrow(message)
    expect(test.stored).toEqual([])
  })
})

describe('image.load from a URL', () => {
  it('downloads an image through ctx.fetch', async () => {
    test = createTestContext()
    const { image } = await runNode(imageLoad, { params: { url: `${base}/images/split.png?token=secret` } }, test)
    expect(image).toMatchObject({ kind: 'image', mime: 'image/png', width: 100, height: 50, bytes: png.byteLength })
  })

  it('fails for good on a 404, without echoing the query string', async () => {
    test = createTestContext()
    const run = runNode(imageLoad, { params: { url: `${base}/missing.png?token=secret` } }, test)
    await expect(run).rejects.toMatchObject({ code: 'HTTP_ERROR', retryable: false, details: { status: 404 } })
    await expect(run).rejects.toThrow(`GET ${base}/missing.png returned HTTP 404`)
    await expect(run).rejects.not.toThrow(/secret/)
  })

  it('fails retryably on a 503, honouring Retry-After', async () => {
    test = createTestContext()
    const run = runNode(imageLoad, { params: { url: `${base}/busy` } }, test)
    await expect(run).rejects.toMatchObject({ code: 'HTTP_ERROR', retryable: true, retryAfterMs: 3000 })
  })

  it('rejects a body that is not an image with INVALID_IMAGE', async () => {
    test = createTestContext()
    const run = runNode(imageLoad, { params: { url: `${base}/page` } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
    await expect(run).rejects.toThrow(`${base}/page is not a supported image`)
  })

  it('fails retryably when the server cannot be reached', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    test = createTestContext()
    const run = runNode(imageLoad, { params: { url: `http://127.0.0.1:${port}/x.png` } }, test)
    await expect(run).rejects.toMatchObject({ code: 'FETCH_FAILED', retryable: true })
    await expect(run).rejects.toThrow(/ECONNREFUSED/)
  })

  it('refuses URLs that are not http(s)', async () => {
    test = createTestContext()
    const run = runNode(imageLoad, { params: { url: 'file:///etc/passwd' } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_URL', retryable: false })
  })
})

describe('image.load from a stored asset', () => {
  it('passes the asset on under its own id, with its size and MIME type', async () => {
    test = createTestContext()
    const stored = await test.ctx.assets.put(png, { mime: 'application/octet-stream' })
    const { image } = await runNode(imageLoad, { params: { assetId: stored.assetId } }, test)
    expect(image).toEqual({ ...stored, kind: 'image', mime: 'image/png', width: 100, height: 50 })
    const pixels = await decodePixels(await test.ctx.assets.read(image!))
    expect(isColour(pixels.pixel(10, 10), 'red', 0)).toBe(true)
    expect(test.stored).toHaveLength(1)
  })

  it('rejects an asset that is not an image with INVALID_IMAGE', async () => {
    test = createTestContext()
    const text = await test.ctx.assets.put(new TextEncoder().encode('hello'), { mime: 'text/plain' })
    const run = runNode(imageLoad, { params: { assetId: text.assetId } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_IMAGE', retryable: false })
    await expect(run).rejects.toThrow(`asset ${text.assetId} is not a supported image`)
  })

  it('fails with ASSET_NOT_FOUND for an unknown id', async () => {
    test = createTestContext()
    const run = runNode(imageLoad, { params: { assetId: 'no-such-asset' } }, test)
    await expect(run).rejects.toMatchObject({ code: 'ASSET_NOT_FOUND', retryable: false })
  })
})

describe('image.load params', () => {
  it('needs exactly one of path, url and assetId', () => {
    const parse = (params: unknown) => imageLoad.params.safeParse(params)
    expect(parse({ path: 'a.png' }).success).toBe(true)
    expect(parse({ url: 'https://example.com/a.png' }).success).toBe(true)
    expect(parse({ assetId: 'asset-1' }).success).toBe(true)
    for (const bad of [
      {},
      { path: 'a.png', url: 'https://example.com/a.png' },
      { path: 'a.png', assetId: 'asset-1' },
      { url: 'https://example.com/a.png', assetId: 'asset-1' },
    ]) {
      expect(parse(bad).error?.issues[0]?.message).toBe('set exactly one of "path", "url" or "assetId"')
    }
    expect(parse({ path: '' }).success).toBe(false)
    expect(parse({ assetId: '' }).success).toBe(false)
  })
})
