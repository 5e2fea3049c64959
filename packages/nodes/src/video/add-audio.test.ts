import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { videoAddAudio } from './add-audio.ts'
import { durationSeconds, ffmpegFixture, peakDb, probeAsset, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.addAudio')))('video.addAudio', () => {
  let silent: Uint8Array
  let withSound: Uint8Array
  let shortTone: Uint8Array
  let longTone: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    silent = await videoFixture({ seconds: 2, width: 96, height: 64 })
    withSound = await videoFixture({ seconds: 2, width: 96, height: 64, audio: true })
    shortTone = await audioFixture({ seconds: 0.5, frequency: 880 })
    longTone = await audioFixture({ seconds: 3, frequency: 880 })
  })

  afterEach(async () => {
    await test.dispose()
  })

  async function addAudio(video: Uint8Array, audio: Uint8Array, params: Record<string, unknown> = {}) {
    const inputs = {
      video: await storeVideo(test, video),
      audio: await test.ctx.assets.put(audio, { mime: 'audio/wav' }),
    }
    const { video: out } = await runNode(videoAddAudio, { params, inputs }, test)
    return { ref: out!, probe: await probeAsset(test, out!) }
  }

  it.each([
    ['a longer track, cut', () => silent, () => longTone, {}],
    ['a track mixed with its own sound', () => withSound, () => longTone, { mode: 'mix', volume: 0.5 }],
  ])('gives a 2 s video %s, lasting 2 s', async (_, video, audio, params) => {
    test = createTestContext()
    const { probe } = await addAudio(video(), audio(), params)
    expect(probe.audio?.codec).toBe('aac')
    expect(probe.video).toMatchObject({ codec: 'h264', width: 96, height: 64, frames: 50 })
    expect(Math.abs(durationSeconds(probe) - 2)).toBeLessThanOrEqual(0.05)
  })

  it('keeps the video’s length with a short track: silent after it ends, unless it loops', async () => {
    test = createTestContext()
    const [once, looped] = await Promise.all([addAudio(silent, shortTone), addAudio(silent, shortTone, { loop: true })])
    for (const { probe } of [once, looped]) expect(Math.abs(durationSeconds(probe) - 2)).toBeLessThanOrEqual(0.05)
    const [start, end, loopedEnd] = await Promise.all([
      peakDb(test, once.ref, 0.1, 0.4),
      peakDb(test, once.ref, 1.5, 1.9),
      peakDb(test, looped.ref, 1.5, 1.9),
    ])
    // The fixture tone peaks at -18 dB.
    expect(start).toBeGreaterThan(-30)
    expect(end).toBeLessThan(-80)
    expect(loopedEnd).toBeGreaterThan(-30)
  })

  it('re-encodes video that is not H.264', async () => {
    test = createTestContext()
    const vp8 = await ffmpegFixture('clip.webm', ['-f', 'lavfi', '-i', 'testsrc=s=96x64:r=25:d=1', '-c:v', 'libvpx'])
    const { probe } = await addAudio(vp8, shortTone)
    expect(probe.video?.codec).toBe('h264')
    expect(probe.audio?.codec).toBe('aac')
  })

  it('fails with INVALID_INPUT when the audio input is a video', async () => {
    test = createTestContext()
    const video = await storeVideo(test, silent)
    const run = runNode(videoAddAudio, { inputs: { video, audio: video } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_INPUT' })
    await expect(run).rejects.toThrow('input "audio" must be audio, got video')
  })

  it('checks volume and mode', () => {
    const parse = (params: unknown) => videoAddAudio.params.safeParse(params)
    expect(parse({}).data).toEqual({ mode: 'replace', loop: false, volume: 1 })
    for (const bad of [{ volume: 5 }, { volume: -1 }, { mode: 'append' }]) expect(parse(bad).success).toBe(false)
  })
})
