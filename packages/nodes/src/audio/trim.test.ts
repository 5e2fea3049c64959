import { beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { contextPool, probeAsset, putMedia } from './audio-test-support.ts'
import { audioTrim } from './trim.ts'

let wav: Uint8Array
let mp3: Uint8Array

describe.skipIf(!(await ffmpegSuiteEnabled('audio.trim')))('audio.trim', { concurrent: true }, () => {
  const newTest = contextPool()
  beforeAll(async () => {
    ;[wav, mp3] = await Promise.all([audioFixture({ seconds: 1 }), audioFixture({ seconds: 1, format: 'mp3' })])
  })

  it('keeps the part between start and end, in the input’s format and sample rate', async () => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const out = await runNode(audioTrim, { params: { start: 0.25, end: 0.75 }, inputs: { audio } }, test)
    const probe = await probeAsset(test, out.audio)
    expect(out.audio).toMatchObject({ kind: 'audio', mime: 'audio/wav' })
    expect(out.audio?.durationMs).toBeCloseTo(500, -1)
    expect(probe.durationMs).toBeCloseTo(500, -1)
    expect(probe.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 44100, channels: 1 })
    expect(test.progress.some((call) => call.fraction !== null && call.fraction > 0)).toBe(true)
  })

  it('trims an MP3 into an MP3, from start to the end when end is left out', async () => {
    const test = newTest()
    const audio = await putMedia(test, mp3, 'audio/mpeg')
    const out = await runNode(audioTrim, { params: { start: 0.5 }, inputs: { audio } }, test)
    const probe = await probeAsset(test, out.audio)
    expect(out.audio?.mime).toBe('audio/mpeg')
    expect(probe.audio?.codec).toBe('mp3')
    // MP3 comes in 1152-sample frames, and ffprobe counts the encoder's padding in the last one.
    expect(probe.durationMs).toBeGreaterThanOrEqual(495)
    expect(probe.durationMs).toBeLessThan(560)
  })

  it('returns the input as it is when there is nothing to cut', async () => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    expect(await runNode(audioTrim, { inputs: { audio } }, test)).toEqual({ audio })
  })

  it.each([
    [{ start: 0, end: 1.5 }, /end 1.500 s is past the end of the media \(1.000 s long\)/],
    [{ start: 1 }, /start 1 s leaves nothing/],
    [{ start: 0.6, end: 0.6 }, /end \(0.6 s\) must be after start \(0.6 s\)/],
    [{ start: 0.7, end: 0.2 }, /must be after start/],
  ])('rejects %j with INVALID_PARAM', async (params, message) => {
    const test = newTest()
    const audio = await putMedia(test, wav)
    const run = runNode(audioTrim, { params, inputs: { audio } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', retryable: false })
    await expect(run).rejects.toThrow(message)
  })

  it('rejects a video on the audio input with INVALID_INPUT', async () => {
    const test = newTest()
    const video = await putMedia(
      test,
      await videoFixture({ seconds: 0.2, width: 32, height: 32 }),
      'video/mp4',
      'video',
    )
    const run = runNode(audioTrim, { params: { end: 0.1 }, inputs: { audio: video } }, test)
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'input "audio" must be audio, got video',
    })
  })

  it('rejects stored bytes that are not audio with INVALID_MEDIA', async () => {
    const test = newTest()
    const audio = await putMedia(test, new TextEncoder().encode('not audio at all'))
    const run = runNode(audioTrim, { params: { end: 0.5 }, inputs: { audio } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_MEDIA' })
    await expect(run).rejects.toThrow(/input "audio" is not readable media/)
  })
})
