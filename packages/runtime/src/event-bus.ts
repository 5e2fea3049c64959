import type { RunEvent } from '@patchbay/core'

export type RunEventListener = (event: RunEvent) => void

/** Fans committed events out to live subscribers in this process (CLI, SSE, tests). */
export class EventBus {
  private readonly byRun = new Map<string, Set<RunEventListener>>()
  private readonly everything = new Set<RunEventListener>()

  /** Listens to one run, or to every run when `runId` is `*`. Returns the unsubscribe function. */
  subscribe(runId: string, listener: RunEventListener): () => void {
    const set = runId === '*' ? this.everything : this.listenersOf(runId)
    set.add(listener)
    return () => {
      set.delete(listener)
      if (runId !== '*' && set.size === 0) this.byRun.delete(runId)
    }
  }

  /** Listens to one run until its `run.finished` event, then unsubscribes by itself (or when the returned function is called). */
  followRun(runId: string, listener: RunEventListener): () => void {
    const unsubscribe = this.subscribe(runId, (event) => {
      listener(event)
      if (event.type === 'run.finished') unsubscribe()
    })
    return unsubscribe
  }

  publish(events: readonly RunEvent[]): void {
    for (const event of events) {
      for (const listener of this.byRun.get(event.runId) ?? []) safely(listener, event)
      for (const listener of this.everything) safely(listener, event)
    }
  }

  private listenersOf(runId: string): Set<RunEventListener> {
    let set = this.byRun.get(runId)
    if (!set) {
      set = new Set()
      this.byRun.set(runId, set)
    }
    return set
  }
}

function safely(listener: RunEventListener, event: RunEvent): void {
  try {
    listener(event)
  } catch {
    // A broken subscriber must not stop the others or the engine.
  }
}
