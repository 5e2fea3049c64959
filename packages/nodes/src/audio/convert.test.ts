import { CanceledError } from '@patchbay/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { contextPool, probeAsset, putMedia } from './audio-test-support.ts'
import { audioConvert } from './convert.ts'

let wav: Uint8Array
describe.skipIf(!(await ffmpegSuiteEnabled('audio.convert')))('audio.convert', { concurrent: true }, () => {
  const newTest = contextPool()
  beforeAll(async () => {
    wav = await audioFixture({ seconds: 1 })
  })

  it.each([
    ['mp3', 'audio/mpeg', 'mp3', 44100],
    ['ogg', 'audio/ogg', 'vorbis', 44100],
    ['opus', 'audio/opus', 'opus', 48000],
    ['flac', 'audio/flac', 'flac', 44100],
    ['m4a', 'audio/mp4', 'aac', 44100],
    ['aac', 'audio/aac', 'aac', 44100],
  ] as const)('converts WAV to %s (%s, codec %s)', async (format, mime, codec, sampleRate) => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const out = await runNode(audioConvert, { params: { format }, inputs: { audio } }, test)
    const probe = await probeAsset(test, out.audio)
    expect(out.audio).toMatchObject({ kind: 'audio', mime })
    expect(out.audio?.durationMs).toBeGreaterThan(950)
    expect(probe.audio).toMatchObject({ codec, sampleRate, channels: 1 })
  })

  it('applies bitrate, sample rate and channels', async () => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const params = { format: 'mp3', bitrate: '96k', sampleRate: 16000, channels: 2 } as const
    const out = await runNode(audioConvert, { params, inputs: { audio } }, test)
    const probe = await probeAsset(test, out.audio)
    expect(probe.audio).toMatchObject({ codec: 'mp3', sampleRate: 16000, channels: 2, bitRate: 96000 })
  })

  it('resamples a WAV to 16 kHz', async () => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const out = await runNode(audioConvert, { params: { format: 'wav', sampleRate: 16000 }, inputs: { audio } }, test)
    expect((await probeAsset(test, out.audio)).audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 16000 })
    expect(out.audio?.durationMs).toBe(1000)
  })

  it('returns the input as it is when it already is in the format', async () => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    expect(await runNode(audioConvert, { params: { format: 'wav' }, inputs: { audio } }, test)).toEqual({ audio })
  })

  it.each([
    [{ format: 'wav', bitrate: '128k' }, 'bitrate does not apply to wav, which is lossless'],
    [{ format: 'mp3', bitrate: '500k' }, 'bitrate for mp3 must be 8k to 320k, got "500k"'],
    [{ format: 'opus', sampleRate: 44100 }, 'opus cannot be encoded at 44100 Hz; choose one of 8000, 12000'],
  ] as const)('rejects %j with INVALID_PARAM before encoding', async (params, message) => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const run = runNode(audioConvert, { params, inputs: { audio } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', retryable: false })
    await expect(run).rejects.toThrow(message)
    expect(test.progress).toEqual([])
  })

  it('validates params by schema', () => {
    const parse = (params: unknown) => audioConvert.params.safeParse(params).success
    expect(parse({ format: 'mp3', bitrate: '192k', sampleRate: 44100, channels: 1 })).toBe(true)
    for (const bad of [{}, { format: 'wma' }, { format: 'mp3', bitrate: '192' }, { format: 'mp3', channels: 6 }]) {
      expect(parse(bad)).toBe(false)
    }
    expect(parse({ format: 'wav', sampleRate: 4000 })).toBe(false)
  })

  it('kills ffmpeg and rejects promptly when canceled mid-conversion', async () => {
    const test = newTest()
    const audio = await putMedia(test, await audioFixture({ seconds: 60 }))
    const storedBefore = test.stored.length
    let abortedAt = 0
    const report = test.ctx.progress
    test.ctx.progress = (fraction, message) => {
      report(fraction, message)
      abortedAt ||= Date.now()
      test.controller.abort()
    }
    // Upsampling to 192 kHz stereo Vorbis takes seconds, well past the first progress report.
    const params = { format: 'ogg', sampleRate: 192000, channels: 2 } as const
    await expect(runNode(audioConvert, { params, inputs: { audio } }, test)).rejects.toBeInstanceOf(CanceledError)
    expect(Date.now() - abortedAt).toBeLessThan(1000)
    expect(test.progress[0]?.fraction).toBeLessThan(0.5)
    expect(test.stored).toHaveLength(storedBefore)
  })
})
