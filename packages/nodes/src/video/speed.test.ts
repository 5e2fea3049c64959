import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { atempoChain, videoSpeed } from './speed.ts'
import { durationSeconds, probeAsset, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video.speed')))('video.speed', () => {
  let clip: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    clip = await videoFixture({ seconds: 2, width: 64, height: 48, audio: true })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it.each([
    [2, 1],
    [0.5, 4],
  ])('×%d turns 2 s into %d s, sound and frame rate kept', async (factor, expected) => {
    test = createTestContext()
    const video = await storeVideo(test, clip)
    const { video: out } = await runNode(videoSpeed, { params: { factor }, inputs: { video } }, test)
    const probe = await probeAsset(test, out!)
    expect(Math.abs(durationSeconds(probe) - expected)).toBeLessThanOrEqual(0.08)
    expect(probe.video).toMatchObject({ fps: 25, frames: expected * 25 })
    expect(probe.audio?.codec).toBe('aac')
  })

  it('chains atempo within 0.5–2 for large changes', () => {
    expect(atempoChain(2)).toBe('atempo=2')
    expect(atempoChain(4)).toBe('atempo=2,atempo=2')
    expect(atempoChain(3)).toBe('atempo=2,atempo=1.5')
    expect(atempoChain(0.25)).toBe('atempo=0.5,atempo=0.5')
    expect(atempoChain(0.3)).toBe('atempo=0.5,atempo=0.6')
  })

  it('limits the factor to 0.25–4', () => {
    const parse = (params: unknown) => videoSpeed.params.safeParse(params)
    expect(parse({}).data).toEqual({ factor: 2 })
    expect(parse({ factor: 0.2 }).success).toBe(false)
    expect(parse({ factor: 5 }).success).toBe(false)
  })
})
