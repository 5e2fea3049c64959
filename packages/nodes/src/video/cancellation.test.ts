import { CanceledError, TimeoutError } from '@patchbay/core'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ffmpegSuiteEnabled, videoFixture } from '../testing/media-fixtures.ts'
import { createTestContext, runNode, type TestContext } from '../testing/test-context.ts'
import { videoResize } from './resize.ts'
import { processesMentioning, storeVideo } from './test-fixtures.ts'

describe.skipIf(!(await ffmpegSuiteEnabled('video node cancellation')))('video node cancellation', () => {
  let long: Uint8Array
  let test: TestContext

  beforeAll(async () => {
    long = await videoFixture({ seconds: 10, width: 640, height: 480 })
  })

  afterEach(async () => {
    await test.dispose()
  })

  it.each([
    ['a cancel', () => undefined, CanceledError, 'CANCELED'],
    ['a timeout', () => new TimeoutError(5000), TimeoutError, 'TIMEOUT'],
  ])('stops a long encode on %s: rejects promptly with its error and kills ffmpeg', async (_, reason, type, code) => {
    test = createTestContext()
    const video = await storeVideo(test, long)
    const input = await test.ctx.assets.localPath(video)
    let abortedAt = 0
    let runningBeforeAbort: string[] = []
    const report = test.ctx.progress
    test.ctx.progress = (fraction, message) => {
      report(fraction, message)
      if (test.progress.length > 1) return
      // First see the encoder running (so the check below can see it at all), then abort.
      void processesMentioning(input).then((running) => {
        runningBeforeAbort = running
        abortedAt = performance.now()
        test.controller.abort(reason())
      })
    }
    // Upscaling 10 s to 1080p takes many seconds; the first progress report comes within one.
    const run = runNode(videoResize, { params: { width: 1920, height: 1080 }, inputs: { video } }, test)
    await expect(run).rejects.toBeInstanceOf(type)
    await expect(run).rejects.toMatchObject({ code })
    expect(runningBeforeAbort).toEqual([expect.stringMatching(/ffmpeg .*-i /)])
    expect(performance.now() - abortedAt).toBeLessThan(1000)
    expect(test.progress[0]?.fraction).toBeLessThan(0.5)
    expect(await processesMentioning(input)).toEqual([])
    expect(test.stored).toEqual([video])
  })
})
