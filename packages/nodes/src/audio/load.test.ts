import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { contextPool, probeAsset, putMedia, toneFile } from './audio-test-support.ts'
import { audioLoad } from './load.ts'

let dir: string
let wav: Uint8Array
let server: Server
let base: string
describe.skipIf(!(await ffmpegSuiteEnabled('audio.load')))('audio.load', { concurrent: true }, () => {
  const newTest = contextPool()
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchbay-audio-load-'))
    const [mp3, opus, m4a, withSound, silent, png, aiff] = await Promise.all([
      audioFixture({ seconds: 0.5, format: 'mp3' }),
      toneFile('tone.opus', 0.5),
      audioFixture({ seconds: 0.5, format: 'm4a' }),
      videoFixture({ seconds: 1, width: 64, height: 48, audio: true }),
      videoFixture({ seconds: 0.2, width: 32, height: 32 }),
      splitImage({ width: 8, height: 8 }),
      toneFile('tone.aiff', 0.5),
    ])
    wav = await audioFixture({ seconds: 1 })
    const files: Record<string, Uint8Array | string> = {
      'tone.wav': wav,
      'tone.mp3': mp3,
      'tone.opus': opus,
      'tone.aiff': aiff,
      'tone.m4a': m4a,
      'clip.mp4': withSound,
      'silent.mp4': silent,
      'picture.png': png,
      'notes.mp3': 'just some text, not audio',
      'empty.wav': '',
      // Without its index (written last), an MP4 cannot be read.
      'truncated.m4a': m4a.slice(0, Math.floor(m4a.byteLength / 2)),
    }
    await Promise.all(Object.entries(files).map(([name, bytes]) => writeFile(join(dir, name), bytes)))

    server = createServer((request, response) => {
      if (request.url === '/sounds/tone.wav?token=secret') response.writeHead(200).end(wav)
      else if (request.url === '/huge') response.writeHead(200, { 'content-length': String(2 ** 31) }).end()
      else response.writeHead(404).end('not found')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
    await rm(dir, { recursive: true, force: true })
  })

  it('stores a WAV file byte for byte, with its duration', async () => {
    const test = newTest({ dir })
    const { audio } = await runNode(audioLoad, { params: { path: 'tone.wav' } }, test)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/wav', durationMs: 1000, bytes: wav.byteLength })
    expect(Buffer.from(await test.ctx.assets.read(audio!)).equals(Buffer.from(wav))).toBe(true)
  })

  it.each([
    ['tone.mp3', 'audio/mpeg'],
    ['tone.opus', 'audio/opus'],
    ['tone.m4a', 'audio/mp4'],
  ])('keeps %s as it is, typed %s', async (file, mime) => {
    const test = newTest({ dir })
    const { audio } = await runNode(audioLoad, { params: { path: file } }, test)
    expect(audio).toMatchObject({ kind: 'audio', mime })
    expect(audio?.bytes).toBe((await readFile(join(dir, file))).byteLength)
  })

  it('takes the sound of a video without re-encoding it', async () => {
    const test = newTest({ dir })
    const { audio } = await runNode(audioLoad, { params: { path: 'clip.mp4' } }, test)
    const probe = await probeAsset(test, audio)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/mp4' })
    expect(probe.video).toBeUndefined()
    expect(probe.audio).toMatchObject({ codec: 'aac', sampleRate: 44100 })
    expect(Math.abs((audio?.durationMs ?? 0) - 1000)).toBeLessThan(50)
  })

  it('re-encodes audio no kept format can hold (AIFF’s big-endian PCM) to FLAC', async () => {
    const test = newTest({ dir })
    const { audio } = await runNode(audioLoad, { params: { path: 'tone.aiff' } }, test)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/flac', durationMs: 500 })
  })

  it.each([
    ['silent.mp4', /file silent.mp4 has no audio stream \(it holds only a picture or video\)/],
    ['picture.png', /file picture.png has no audio stream/],
    ['notes.mp3', /file notes.mp3 is not readable media \(.+\)/],
    ['empty.wav', /file empty.wav is not readable media/],
    ['truncated.m4a', /file truncated.m4a is not readable media \(.*moov atom not found/],
  ])('rejects %s with a final INVALID_MEDIA', async (file, message) => {
    const test = newTest({ dir })
    const run = runNode(audioLoad, { params: { path: file } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_MEDIA', retryable: false })
    await expect(run).rejects.toThrow(message)
    expect(test.stored).toEqual([])
  })

  it('fails with FILE_NOT_FOUND for a missing file', async () => {
    const test = newTest({ dir })
    await expect(runNode(audioLoad, { params: { path: 'nope.wav' } }, test)).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
    })
  })

  it('returns a stored audio asset as it is', async () => {
    const test = newTest()
    const stored = await test.ctx.assets.put(wav, { mime: 'audio/wav', kind: 'audio', durationMs: 1000 })
    expect(await runNode(audioLoad, { params: { assetId: stored.assetId } }, test)).toEqual({ audio: stored })
  })

  it('takes the sound of a stored video asset', async () => {
    const test = newTest()
    const video = await putMedia(test, await readFile(join(dir, 'clip.mp4')), 'video/mp4', 'video')
    const { audio } = await runNode(audioLoad, { params: { assetId: video.assetId } }, test)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/mp4' })
    expect(audio?.assetId).not.toBe(video.assetId)
  })

  it('fails with ASSET_NOT_FOUND for an unknown asset', async () => {
    const test = newTest()
    await expect(runNode(audioLoad, { params: { assetId: 'nope' } }, test)).rejects.toMatchObject({
      code: 'ASSET_NOT_FOUND',
    })
  })

  it('downloads audio from a URL', async () => {
    const test = newTest()
    const { audio } = await runNode(audioLoad, { params: { url: `${base}/sounds/tone.wav?token=secret` } }, test)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/wav', durationMs: 1000, bytes: wav.byteLength })
  })

  it('fails for good on a 404 and on a download over the size limit', async () => {
    const test = newTest()
    await expect(runNode(audioLoad, { params: { url: `${base}/gone.wav` } }, test)).rejects.toMatchObject({
      code: 'HTTP_ERROR',
      retryable: false,
    })
    await expect(runNode(audioLoad, { params: { url: `${base}/huge` } }, test)).rejects.toMatchObject({
      code: 'TOO_LARGE',
      message: `${base}/huge is larger than the 1 GB limit`,
    })
  })

  it('needs exactly one of path, url and assetId', () => {
    const parse = (params: unknown) => audioLoad.params.safeParse(params)
    for (const good of [{ path: 'a.wav' }, { url: 'https://example.com/a.mp3' }, { assetId: 'a1' }]) {
      expect(parse(good).success).toBe(true)
    }
    for (const bad of [{}, { path: 'a.wav', assetId: 'a1' }, { path: 'a.wav', url: 'https://example.com/a.mp3' }]) {
      expect(parse(bad).error?.issues[0]?.message).toBe('set exactly one of "path", "url" or "assetId"')
    }
  })
})
