import { describe, expect, it } from 'vitest'
import { audioFixture, ffmpegSuiteEnabled } from '../testing/media-fixtures.ts'
import { runNode } from '../testing/test-context.ts'
import { contextPool, putMedia, toneFile } from './audio-test-support.ts'
import { audioInfo } from './info.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('audio.info')))('audio.info', { concurrent: true }, () => {
  const newTest = contextPool()
  it('describes a WAV', async () => {
    const test = newTest()
    const audio = await putMedia(test, await audioFixture({ seconds: 1, sampleRate: 22050 }))
    const out = await runNode(audioInfo, { inputs: { audio } }, test)
    expect(out).toEqual({
      info: {
        durationMs: 1000,
        codec: 'pcm_s16le',
        sampleRate: 22050,
        channels: 1,
        bitRate: 22050 * 16,
        format: 'wav',
        bytes: audio.bytes,
        mime: 'audio/wav',
      },
      durationSeconds: 1,
    })
  })

  it('describes an Ogg Opus file by its short format name', async () => {
    const test = newTest()
    const audio = await putMedia(test, await toneFile('tone.opus', 0.5), 'audio/ogg')
    const { info, durationSeconds } = await runNode(audioInfo, { inputs: { audio } }, test)
    expect(info).toMatchObject({ codec: 'opus', sampleRate: 48000, channels: 1, format: 'opus', mime: 'audio/ogg' })
    expect((info as { bitRate: number }).bitRate).toBeGreaterThan(0)
    expect(durationSeconds).toBeCloseTo(0.5, 1)
  })

  it('rejects a video on the audio input with INVALID_INPUT', async () => {
    const test = newTest()
    const video = await putMedia(test, new Uint8Array([0, 0, 0]), 'video/mp4', 'video')
    await expect(runNode(audioInfo, { inputs: { audio: video } }, test)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    })
  })
})
