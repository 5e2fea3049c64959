import { isTerminalRun } from '@patchbay/core'
import type { RunRecord } from '@patchbay/db'
import type { RunEngine as Engine } from '@patchbay/runtime'

/**
 * The run once it has finished, or `undefined` when `ms` pass first or `signal` aborts (the
 * caller left). Either way the run itself carries on.
 */
export async function waitForRunWithin(
  engine: Pick<Engine, 'waitForRun'>,
  run: Pick<RunRecord, 'orgId' | 'id'>,
  ms: number,
  signal: AbortSignal,
): Promise<RunRecord | undefined> {
  if (ms <= 0 || signal.aborted) return undefined
  let stopWaiting = () => {}
  const stopped = new AbortController()
  const givenUp = new Promise<undefined>((resolve) => {
    const onAbort = () => {
      stopped.abort()
      resolve(undefined)
    }
    const timer = setTimeout(onAbort, ms)
    signal.addEventListener('abort', onAbort, { once: true })
    stopWaiting = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
    }
  })
  try {
    // The engine is told to stop too, so an abandoned wait does not keep reading the store.
    const finished = await Promise.race([engine.waitForRun(run.orgId, run.id, stopped.signal), givenUp])
    // A run this process does not drive comes back from the store as it is, maybe unfinished.
    return finished && isTerminalRun(finished.status) ? finished : undefined
  } finally {
    stopWaiting()
  }
}
