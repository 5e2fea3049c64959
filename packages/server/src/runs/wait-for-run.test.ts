import type { RunStatus } from '@patchbay/core'
import type { RunRecord } from '@patchbay/db'
import { describe, expect, it } from 'vitest'
import { settleStartedRun, waitForRunWithin } from './wait-for-run.ts'

const run = (status: RunStatus) => ({ id: 'r', orgId: 'o', status }) as RunRecord

/** An engine whose run finishes (with `status`) after `ms`. */
const engineFinishingAfter = (ms: number, status: RunStatus = 'succeeded') => ({
  waitForRun: () => new Promise<RunRecord>((resolve) => setTimeout(() => resolve(run(status)), ms)),
})

describe('waitForRunWithin', () => {
  it('answers the run once it finishes in time', async () => {
    const finished = await waitForRunWithin(
      engineFinishingAfter(10),
      run('running'),
      1000,
      new AbortController().signal,
    )
    expect(finished?.status).toBe('succeeded')
  })

  it('gives up when the time is up', async () => {
    const started = performance.now()
    expect(await waitForRunWithin(engineFinishingAfter(5000), run('running'), 30, new AbortController().signal)).toBe(
      undefined,
    )
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('gives up when the caller goes away', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 20)
    const started = performance.now()
    expect(await waitForRunWithin(engineFinishingAfter(5000), run('running'), 60_000, controller.signal)).toBe(
      undefined,
    )
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('does not wait at all for 0 seconds', async () => {
    expect(await waitForRunWithin(engineFinishingAfter(0), run('running'), 0, new AbortController().signal)).toBe(
      undefined,
    )
  })

  it('does not take an unfinished run from the store for a finished one', async () => {
    // The engine answers from the store for runs it does not drive, as they are.
    const elsewhere = { waitForRun: async () => run('running') }
    expect(await waitForRunWithin(elsewhere, run('running'), 1000, new AbortController().signal)).toBe(undefined)
  })
})

describe('settleStartedRun', () => {
  const poolTimeout = () => Promise.reject(new Error('timeout exceeded when trying to connect'))
  const store = { getRun: async () => run('running') }

  it('answers a finished run as finished', async () => {
    const settled = await settleStartedRun(
      { engine: engineFinishingAfter(0), store },
      run('running'),
      1000,
      new AbortController().signal,
      () => {},
    )
    expect(settled).toMatchObject({ finished: true, run: { id: 'r', status: 'succeeded' } })
  })

  it('answers the started run, not an error, when waiting for it fails', async () => {
    const errors: unknown[] = []
    const settled = await settleStartedRun(
      { engine: { waitForRun: poolTimeout }, store },
      run('running'),
      1000,
      new AbortController().signal,
      (error) => errors.push(error),
    )
    expect(settled).toMatchObject({ finished: false, run: { id: 'r', status: 'running' } })
    expect(errors).toHaveLength(1)
  })

  it('answers the started run when reading it again fails', async () => {
    const settled = await settleStartedRun(
      { engine: engineFinishingAfter(5000), store: { getRun: poolTimeout } },
      run('running'),
      10,
      new AbortController().signal,
      () => {},
    )
    expect(settled).toMatchObject({ finished: false, run: { id: 'r', status: 'running' } })
  })
})
