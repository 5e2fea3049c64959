import { beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { contextPool, peakDb, probeAsset, putMedia } from './audio-test-support.ts'
import { audioMix } from './mix.ts'

let oneSecond: Uint8Array
let halfSecond: Uint8Array
describe.skipIf(!(await ffmpegSuiteEnabled('audio.mix')))('audio.mix', { concurrent: true }, () => {
  const newTest = contextPool()
  beforeAll(async () => {
    ;[oneSecond, halfSecond] = await Promise.all([
      audioFixture({ seconds: 1 }),
      audioFixture({ seconds: 0.5, sampleRate: 22050 }),
    ])
  })

  it.each([
    ['longest', 1000],
    ['shortest', 500],
    ['first', 500],
  ] as const)('lasts as long as the %s input', async (duration, expectedMs) => {
    const test = newTest()
    // The short clip first, so `first` and `longest` differ.
    const short = await putMedia(test, halfSecond)
    const long = await putMedia(test, oneSecond)
    const { audio } = await runNode(audioMix, { params: { duration }, inputs: { audio: [short, long] } }, test)
    expect(audio?.mime).toBe('audio/wav')
    expect(Math.abs((audio?.durationMs ?? 0) - expectedMs)).toBeLessThan(30)
  })

  // The fixture is a sine at 1/8 of full scale: about −18 dBFS.
  it('sums the inputs at their volumes, or scales them to a total of 1 with normalize', async () => {
    const test = newTest()
    const tone = await putMedia(test, oneSecond)
    const mix = async (params: { volumes?: number[]; normalize?: boolean }) =>
      peakDb(test, (await runNode(audioMix, { params, inputs: { audio: [tone, tone] } }, test)).audio)
    const [alone, summed, normalized, halved] = await Promise.all([
      peakDb(test, tone),
      mix({}),
      mix({ normalize: true }),
      mix({ volumes: [0.5, 0] }),
    ])
    expect(summed).toBeCloseTo(alone + 6, 0)
    expect(normalized).toBeCloseTo(alone, 0)
    expect(halved).toBeCloseTo(alone - 6, 0)
  })

  it('resamples every input to the first one’s rate', async () => {
    const test = newTest()
    const inputs = { audio: [await putMedia(test, halfSecond), await putMedia(test, oneSecond)] }
    const { audio } = await runNode(audioMix, { inputs }, test)
    expect((await probeAsset(test, audio)).audio).toMatchObject({ codec: 'pcm_s16le', sampleRate: 22050, channels: 1 })
  })

  it('rejects a volume count that differs from the inputs with INVALID_PARAM', async () => {
    const test = newTest()
    const tone = await putMedia(test, oneSecond)
    const run = runNode(audioMix, { params: { volumes: [1, 1, 1] }, inputs: { audio: [tone, tone] } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_PARAM', retryable: false })
    await expect(run).rejects.toThrow('volumes has 3 entries but 2 inputs are connected')
  })

  it('rejects a non-audio input with INVALID_INPUT', async () => {
    const test = newTest()
    const tone = await putMedia(test, oneSecond)
    const run = runNode(audioMix, { inputs: { audio: [tone, 'hello' as never] } }, test)
    await expect(run).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'input "audio[1]" must be audio, got string',
    })
  })
})
