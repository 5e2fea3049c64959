import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { downloadToFile } from '../support/download-to-file.ts'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { videoLoad } from './load.ts'
import { ffmpegFixture } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.load')))('video.load', () => {
  let dir: string
  let mp4: Uint8Array
  let server: Server
  let base: string
  let test: TestContext

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchbay-video-load-'))
    mp4 = await videoFixture({ seconds: 1, width: 160, height: 120, audio: true })
    await writeFile(join(dir, 'clip.mp4'), mp4)
    await writeFile(join(dir, 'clip.mov'), await remux(mp4, 'clip.mov', ['-c', 'copy']))
    await writeFile(join(dir, 'clip.mkv'), await remux(mp4, 'clip.mkv', ['-c', 'copy']))
    const vp8 = ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-an']
    await writeFile(join(dir, 'clip.webm'), await remux(mp4, 'clip.webm', vp8))
    await writeFile(
      join(dir, 'rotated.mp4'),
      await remux(mp4, 'rotated.mp4', ['-c', 'copy', '-metadata:s:v', 'rotate=90']),
    )
    await writeFile(join(dir, 'still.png'), await splitImage({ width: 32, height: 32 }))
    await writeFile(join(dir, 'notes.mp4'), 'just some text, not a video')
    await writeFile(join(dir, 'truncated.mp4'), mp4.slice(0, Math.floor(mp4.byteLength / 2)))
    await writeFile(join(dir, 'tone.wav'), await audioFixture({ seconds: 0.2 }))

    server = createServer((request, response) => {
      switch (request.url) {
        case '/media/clip.mp4?token=secret':
          response.writeHead(200, { 'content-type': 'video/mp4' }).end(mp4)
          return
        case '/huge':
          response.writeHead(200, { 'content-length': String(3 * 1024 ** 3) }).flushHeaders()
          setTimeout(() => response.destroy(), 50)
          return
        case '/chunked':
          response.writeHead(200)
          response.write(new Uint8Array(600))
          response.end(new Uint8Array(600))
          return
        default:
          response.writeHead(404).end('not found')
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  afterEach(async () => {
    await test?.dispose()
  })

  function remux(bytes: Uint8Array, name: string, args: string[]): Promise<Uint8Array> {
    const source = join(dir, `source-${name}.mp4`)
    return writeFile(source, bytes).then(() => ffmpegFixture(name, ['-i', source, ...args]))
  }

  it('stores a file as it is, with its size, duration and MIME type', async () => {
    test = createTestContext({ dir })
    const { video } = await runNode(videoLoad, { params: { path: 'clip.mp4' } }, test)
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, height: 120, bytes: mp4.byteLength })
    expect(video?.durationMs).toBeGreaterThanOrEqual(990)
    expect(video?.durationMs).toBeLessThanOrEqual(1100)
    expect(Buffer.from(await test.ctx.assets.read(video!)).equals(Buffer.from(mp4))).toBe(true)
  })

  it.each([
    ['clip.mov', 'video/quicktime'],
    ['clip.mkv', 'video/x-matroska'],
    ['clip.webm', 'video/webm'],
  ])('keeps the container of %s (%s)', async (file, mime) => {
    test = createTestContext({ dir })
    const { video } = await runNode(videoLoad, { params: { path: file } }, test)
    expect(video).toMatchObject({ kind: 'video', mime, width: 160, height: 120 })
  })

  it('records the displayed size of a rotated (portrait phone) video', async () => {
    test = createTestContext({ dir })
    const { video } = await runNode(videoLoad, { params: { path: 'rotated.mp4' } }, test)
    expect(video).toMatchObject({ width: 120, height: 160 })
  })

  it('fails with FILE_NOT_FOUND for a missing file', async () => {
    test = createTestContext({ dir })
    const run = runNode(videoLoad, { params: { path: 'nope.mp4' } }, test)
    await expect(run).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' })
  })

  it.each([
    ['still.png', /not a supported video: ffmpeg reads it as "png_pipe"/],
    ['notes.mp4', /is not readable media/],
    ['truncated.mp4', /is not readable media \(.*moov atom not found/],
    ['tone.wav', /not a supported video: ffmpeg reads it as "wav"/],
  ])('rejects %s with a final INVALID_MEDIA and stores nothing', async (file, message) => {
    test = createTestContext({ dir })
    const run = runNode(videoLoad, { params: { path: file } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_MEDIA', retryable: false })
    await expect(run).rejects.toThrow(message)
    expect(test.stored).toEqual([])
  })

  it('downloads a URL without echoing its query string in errors', async () => {
    test = createTestContext()
    const { video } = await runNode(videoLoad, { params: { url: `${base}/media/clip.mp4?token=secret` } }, test)
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, bytes: mp4.byteLength })
    const missing = runNode(videoLoad, { params: { url: `${base}/gone.mp4?token=secret` } }, test)
    await expect(missing).rejects.toMatchObject({ code: 'HTTP_ERROR', retryable: false })
    await expect(missing).rejects.not.toThrow(/secret/)
  })

  it('refuses a download that declares more than 2 GB, before reading it', async () => {
    test = createTestContext()
    const run = runNode(videoLoad, { params: { url: `${base}/huge` } }, test)
    await expect(run).rejects.toMatchObject({ code: 'TOO_LARGE', retryable: false })
    await expect(run).rejects.toThrow('larger than the 2 GB limit')
  })

  it('stops a download without a declared size once it passes the limit', async () => {
    test = createTestContext()
    const dest = join(dir, 'partial.bin')
    await expect(downloadToFile(test.ctx, `${base}/chunked`, dest, 1000)).rejects.toMatchObject({ code: 'TOO_LARGE' })
    expect(await downloadToFile(test.ctx, `${base}/chunked`, dest, 1200)).toBe(1200)
  })

  it('describes an existing asset uploaded without a video MIME type', async () => {
    test = createTestContext()
    const upload = await test.ctx.assets.put(mp4, { mime: 'application/octet-stream', kind: 'file' })
    const { video } = await runNode(videoLoad, { params: { assetId: upload.assetId } }, test)
    expect(video).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, height: 120, sha256: upload.sha256 })
    const again = await runNode(videoLoad, { params: { assetId: video!.assetId } }, test)
    expect(again.video).toEqual(video)
  })

  it('fails with ASSET_NOT_FOUND for an unknown asset id', async () => {
    test = createTestContext()
    const run = runNode(videoLoad, { params: { assetId: 'missing' } }, test)
    await expect(run).rejects.toMatchObject({ code: 'ASSET_NOT_FOUND' })
  })

  it('needs exactly one of path, url and assetId', () => {
    const parse = (params: unknown) => videoLoad.params.safeParse(params)
    expect(parse({ path: 'a.mp4' }).success).toBe(true)
    expect(parse({ assetId: 'a' }).success).toBe(true)
    for (const bad of [{}, { path: 'a.mp4', assetId: 'a' }, { url: 'https://x.test/a.mp4', path: 'a.mp4' }]) {
      expect(parse(bad).error?.issues[0]?.message).toBe('set exactly one of "path", "url" or "assetId"')
    }
  })
})
