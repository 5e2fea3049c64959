import { beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { splitImage } from '../testing/test-images.ts'
import { contextPool, probeAsset, putMedia } from './audio-test-support.ts'
import { audioConcat } from './concat.ts'

let second44k: Uint8Array
let halfSecond22k: Uint8Array
describe.skipIf(!(await ffmpegSuiteEnabled('audio.concat')))('audio.concat', { concurrent: true }, () => {
  const newTest = contextPool()
  beforeAll(async () => {
    ;[second44k, halfSecond22k] = await Promise.all([
      audioFixture({ seconds: 1, sampleRate: 44100 }),
      audioFixture({ seconds: 0.5, sampleRate: 22050, format: 'mp3' }),
    ])
  })

  it('joins clips in edge order, resampled to the first one’s rate, in its format', async () => {
    const test = newTest()
    const first = await putMedia(test, second44k)
    const second = await putMedia(test, halfSecond22k, 'audio/mpeg')
    const { audio } = await runNode(audioConcat, { inputs: { audio: [first, second] } }, test)
    const probe = await probeAsset(test, audio)
    expect(audio).toMatchObject({ kind: 'audio', mime: 'audio/wav' })
    expect(probe.audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 44100, channels: 1 })
    // The MP3 decodes to exactly 0.5 s: its padding is dropped when decoding.
    expect(probe.durationMs).toBeCloseTo(1500, -1)
  })

  it('takes the first clip’s format and rate when that is an MP3', async () => {
    const test = newTest()
    const first = await putMedia(test, halfSecond22k, 'audio/mpeg')
    const second = await putMedia(test, second44k)
    const { audio } = await runNode(audioConcat, { inputs: { audio: [first, second] } }, test)
    const probe = await probeAsset(test, audio)
    expect(audio?.mime).toBe('audio/mpeg')
    expect(probe.audio).toMatchObject({ codec: 'mp3', sampleRate: 22050 })
    expect(Math.abs((probe.durationMs ?? 0) - 1500)).toBeLessThan(80)
  })

  it('returns a single clip as it is', async () => {
    const test = newTest()
    const only = await putMedia(test, second44k)
    expect(await runNode(audioConcat, { inputs: { audio: [only] } }, test)).toEqual({ audio: only })
  })

  it('names the offending input when one is not audio', async () => {
    const test = newTest()
    const first = await putMedia(test, second44k)
    const image = await putMedia(test, await splitImage({ width: 8, height: 8 }), 'image/png', 'image')
    const run = runNode(audioConcat, { inputs: { audio: [first, image] } }, test)
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'input "audio[1]" must be audio, got image',
    })
  })

  it('rejects an empty list with INVALID_INPUT', async () => {
    const test = newTest()
    await expect(runNode(audioConcat, { inputs: { audio: [] } }, test)).rejects.toMatchObject({ code: 'INVALID_INPUT' })
  })
})
