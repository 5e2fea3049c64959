import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { abortError } from '../support/abort.ts'

/** Waits at least this long report progress. */
const PROGRESS_FROM_MS = 1000

/** The longest delay a timer can hold (about 24.8 days); longer ones would fire at once. */
const MAX_DELAY_MS = 2_147_483_647

/**
 * `util.wait`: waits `ms` milliseconds, then passes its input through. The output is always
 * present so downstream nodes run: the input value, or `null` when nothing is connected.
 * On abort it rejects at once with the abort's error and clears its timer.
 */
export const utilWait = defineNode({
  type: 'util.wait',
  version: 1,
  category: 'util',
  title: 'Wait',
  description: 'Waits a while, then passes its input through (null when unconnected).',
  inputs: { value: { type: 'any', description: 'Passed through after the wait.' } },
  outputs: { value: { type: 'any' } },
  params: z.object({
    ms: z.number().int().min(0).max(MAX_DELAY_MS).default(1000).describe('How long to wait, in milliseconds.'),
  }),
  async run({ inputs, params, ctx }) {
    // Short waits report nothing (a bar would only flicker); long ones about 20 times.
    const started = Date.now()
    const ticker =
      params.ms >= PROGRESS_FROM_MS
        ? setInterval(() => ctx.progress((Date.now() - started) / params.ms), Math.max(250, params.ms / 20))
        : undefined
    try {
      await sleep(params.ms, ctx.signal)
    } finally {
      clearInterval(ticker)
    }
    return { value: inputs.value ?? null }
  },
})

/** Resolves after `ms`, or rejects as soon as `signal` aborts, leaving no timer behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal))
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError(signal))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
