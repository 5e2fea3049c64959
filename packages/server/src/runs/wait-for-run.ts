import { isTerminalRun } from '@patchbay/core'
import type { RunRecord, Store } from '@patchbay/db'
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

/**
 * What `POST /runs?wait` answers once its run is committed: the run finished (200), or the run
 * as it stands (202). The run exists from then on, so no failure of the wait (a pool checkout
 * timing out under a burst, say) may turn into an error: a client told "failed" would start
 * it again. Failures go to `onError` and the run is answered as last known.
 */
export async function settleStartedRun(
  deps: { engine: Pick<Engine, 'waitForRun'>; store: Pick<Store, 'getRun'> },
  run: RunRecord,
  ms: number,
  signal: AbortSignal,
  onError: (error: unknown) => void,
): Promise<{ run: RunRecord; finished: boolean }> {
  try {
    const finished = await waitForRunWithin(deps.engine, run, ms, signal)
    if (finished) return { run: finished, finished: true }
    return { run: (await deps.store.getRun(run.orgId, run.id)) ?? run, finished: false }
  } catch (error) {
    onError(error)
    return { run, finished: false }
  }
}
