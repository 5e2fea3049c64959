import { CanceledError, TimeoutError } from '@patchbay/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createTestContext, runNode } from '../testing/test-context.ts'
import { utilWait } from './wait.ts'

describe('util.wait', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('waits, then passes its input through; a short wait reports no progress', async () => {
    const test = createTestContext()
    const started = Date.now()
    const value = { any: 'thing' }
    expect(await runNode(utilWait, { params: { ms: 40 }, inputs: { value } }, test)).toEqual({ value })
    expect(Date.now() - started).toBeGreaterThanOrEqual(35)
    expect(test.progress).toEqual([])
  })

  it('reports rising progress during a long wait', async () => {
    vi.useFakeTimers()
    const test = createTestContext()
    const run = runNode(utilWait, { params: { ms: 10_000 } }, test)
    await vi.advanceTimersByTimeAsync(10_000)
    await run
    const fractions = test.progress.map((report) => report.fraction as number)
    expect(fractions.length).toBeGreaterThanOrEqual(15)
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b))
    expect(fractions.at(-1)).toBeGreaterThan(0.9)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('outputs null (present, not undefined) when unconnected', async () => {
    const out = await runNode(utilWait, { params: { ms: 0 } })
    expect(out).toEqual({ value: null })
    expect('value' in out).toBe(true)
  })

  it('rejects promptly with CanceledError on abort and clears its timer', async () => {
    vi.useFakeTimers()
    const test = createTestContext()
    const run = runNode(utilWait, { params: { ms: 60_000 }, inputs: { value: 1 } }, test)
    await vi.advanceTimersByTimeAsync(1000)
    expect(vi.getTimerCount()).toBe(2) // the wait and its progress ticker
    test.controller.abort()
    await expect(run).rejects.toBeInstanceOf(CanceledError)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('rejects with the engine’s reason when it is a Patchbay error, e.g. a timeout', async () => {
    const test = createTestContext()
    const run = runNode(utilWait, { params: { ms: 60_000 } }, test)
    setTimeout(() => test.controller.abort(new TimeoutError(20)), 20)
    const started = Date.now()
    await expect(run).rejects.toBeInstanceOf(TimeoutError)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('rejects at once when the signal has already aborted', async () => {
    const test = createTestContext()
    test.controller.abort()
    await expect(runNode(utilWait, { params: { ms: 10 } }, test)).rejects.toBeInstanceOf(CanceledError)
  })

  it('validates ms', () => {
    expect(utilWait.params.parse({})).toEqual({ ms: 1000 })
    for (const ms of [-1, 1.5, '10', 2 ** 31]) expect(utilWait.params.safeParse({ ms }).success).toBe(false)
  })
})
