import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { videoInfo } from './info.ts'
import { ffmpegFixture, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.info')))('video.info', () => {
  let clip: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    clip = await videoFixture({ seconds: 2, width: 160, height: 120, fps: 25, audio: true })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it('reports duration, size, rate, codecs and the asset’s bytes and type', async () => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const out = await runNode(videoInfo, { inputs: { video } }, test)
    expect(out.info).toEqual({
      durationMs: 2000,
      width: 160,
      height: 120,
      fps: 25,
      frames: 50,
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasAudio: true,
      format: 'mov,mp4,m4a,3gp,3g2,mj2',
      bytes: clip.byteLength,
      mime: 'video/mp4',
    })
    expect(out).toMatchObject({ durationSeconds: 2, width: 160, height: 120 })
  })

  it('reports the displayed size of a rotated video and no audio when there is none', async () => {
    test = createTestContext()
    const source = await storeVideo(test, await videoFixture({ seconds: 0.2, width: 64, height: 32 }))
    const rotated = await ffmpegFixture('rotated.mp4', [
      '-i',
      await test.ctx.assets.localPath(source),
      '-c',
      'copy',
      '-metadata:s:v',
      'rotate=90',
    ])
    const out = await runNode(videoInfo, { inputs: { video: await storeVideo(test, rotated) } }, test)
    expect(out).toMatchObject({ width: 32, height: 64, info: { width: 32, height: 64, hasAudio: false } })
    expect(out.info).not.toHaveProperty('audioCodec')
  })

  it('fails with INVALID_MEDIA on random bytes', async () => {
    test = createTestContext()
    const garbage = await storeVideo(test, new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)))
    const run = runNode(videoInfo, { inputs: { video: garbage } }, test)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_MEDIA', retryable: false })
    await expect(run).rejects.toThrow(/input "video" is not readable media/)
  })
})
