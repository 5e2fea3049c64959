import type { ServerResponse } from 'node:http'
import { NodeError } from '@patchbay/core'
import { createNodeAssets, MemoryAssetStore } from '@patchbay/storage'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeMedia } from './media.ts'
import { type LoopbackServer, mp4Bytes, pngBytes, sendBytes, startLoopbackServer, wavBytes } from './testing/index.ts'
import { createTestCall } from './testing/test-call.ts'

describe('storeMedia', () => {
  let server: LoopbackServer
  const files = new Map<string, { bytes: Uint8Array; mime: string }>()
  const assets = createNodeAssets({ store: new MemoryAssetStore() })

  beforeAll(async () => {
    files.set('/photo', { bytes: await pngBytes({ width: 40, height: 30, color: '#ff0000' }), mime: 'image/png' })
    files.set('/clip', { bytes: mp4Bytes(200_000), mime: 'application/octet-stream' })
    files.set('/error-page', { bytes: new TextEncoder().encode('<html>expired</html>'), mime: 'text/html' })
    server = await startLoopbackServer((request, response: ServerResponse) => {
      const file = files.get(request.path)
      if (!file) return sendBytes(response, 404, new Uint8Array(), 'text/plain')
      sendBytes(response, 200, file.bytes, file.mime)
    })
  })
  afterAll(() => server.close())

  it('downloads an image and records its dimensions and sniffed type', async () => {
    const { call } = createTestCall({ baseURL: server.url })
    const ref = await storeMedia({ url: `${server.url}/photo` }, 'image', call, assets)
    expect(ref).toMatchObject({ kind: 'image', mime: 'image/png', width: 40, height: 30 })
    const { data } = await sharp(await assets.read(ref))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([...data.subarray(0, 3)]).toEqual([255, 0, 0])
  })

  it('streams a video whose server says only octet-stream, typed from its bytes', async () => {
    const { call } = createTestCall({ baseURL: server.url })
    const ref = await storeMedia({ url: `${server.url}/clip`, durationMs: 5000 }, 'video', call, assets)
    expect(ref).toMatchObject({ kind: 'video', mime: 'video/mp4', bytes: files.get('/clip')?.bytes.byteLength })
    expect(ref.durationMs).toBe(5000)
  })

  it('stores audio bytes handed over in memory', async () => {
    const { call } = createTestCall({ baseURL: server.url })
    const ref = await storeMedia({ bytes: wavBytes(0.5) }, 'audio', call, assets)
    expect(ref.kind).toBe('audio')
    expect(ref.mime).toMatch(/wav/)
  })

  it('refuses an HTML page where an image was expected, and a failed download', async () => {
    const { call } = createTestCall({ baseURL: server.url })
    await expect(storeMedia({ url: `${server.url}/error-page` }, 'image', call, assets)).rejects.toBeInstanceOf(
      NodeError,
    )
    await expect(storeMedia({ url: `${server.url}/gone` }, 'video', call, assets)).rejects.toMatchObject({
      status: 404,
    })
  })
})
