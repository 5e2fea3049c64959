import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/errors.ts'
import { RunAdmission } from './run-admission.ts'

/** A start that finishes when `finish` is called. */
function pendingStart() {
  let finish: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    finish = resolve
  })
  return { start: () => done, finish: () => finish() }
}

describe('RunAdmission', () => {
  it('lets `atOnce` starts through, queues the next ones in order, refuses beyond the queue', async () => {
    const admission = new RunAdmission(2, 1)
    const first = pendingStart()
    const second = pendingStart()
    let secondDone = false
    const a = admission.admit(first.start)
    const b = admission.admit(second.start).then(() => {
      secondDone = true
    })
    let thirdStarted = false
    const c = admission.admit(async () => {
      thirdStarted = true
    })
    await Promise.resolve()
    expect(thirdStarted).toBe(false)
    expect(admission.queued).toBe(1)

    const refused = await admission.admit(async () => 'never').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '1' } })

    // The first start to finish hands its turn to the waiting one.
    first.finish()
    await Promise.all([a, c])
    expect(thirdStarted).toBe(true)
    expect(secondDone).toBe(false)
    second.finish()
    await b
    expect(admission.queued).toBe(0)
  })

  it('gives the turn back when a start fails', async () => {
    const admission = new RunAdmission(1, 0)
    await expect(admission.admit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await admission.admit(async () => 'ok')).toBe('ok')
  })

  it('sizes itself from the pool: half of it at once', () => {
    expect(RunAdmission.forPool(10)).toMatchObject({ atOnce: 5, maxWaiting: 500 })
    expect(RunAdmission.forPool(1)).toMatchObject({ atOnce: 1, maxWaiting: 100 })
  })
})
