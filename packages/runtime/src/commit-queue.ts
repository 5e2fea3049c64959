import type { RunEvent } from '@patchbay/core'
import type { Store, TransitionBatch } from '@patchbay/db'

interface Waiting {
  batch: TransitionBatch
  resolve: (events: RunEvent[]) => void
  reject: (error: unknown) => void
}

/**
 * Group commit. Transitions enqueued while a commit is in flight are merged into the next
 * one, so a burst of hundreds of node completions costs a few transactions instead of
 * hundreds, with no timer adding latency when things are quiet. Batches commit in the order
 * they were enqueued; each caller learns when (and with which event numbers) its own
 * transitions are durable.
 */
export class CommitQueue {
  private waiting: Waiting[] = []
  private flushing: Promise<void> | undefined

  private readonly store: Store
  private readonly onCommitted: (events: RunEvent[]) => void

  constructor(store: Store, onCommitted: (events: RunEvent[]) => void) {
    this.store = store
    this.onCommitted = onCommitted
  }

  enqueue(batch: TransitionBatch): Promise<RunEvent[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ batch, resolve, reject })
      // Start on the next macrotask: with an in-process database (PGlite) a whole commit can
      // complete inside one microtask drain, so without this pause every node completion
      // firing in the same timer phase would get a transaction of its own.
      this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush())
    })
  }

  /** Resolves when everything enqueued so far is committed (or has failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  private async flush(): Promise<void> {
    for (;;) {
      if (this.waiting.length === 0) {
        // Cleared in the same tick as the emptiness check, so a batch enqueued right after
        // always starts a new flush instead of joining one that has already ended.
        this.flushing = undefined
        return
      }
      const group = this.waiting
      this.waiting = []
      try {
        const events = await this.store.commit(merge(group.map((item) => item.batch)))
        this.onCommitted(events)
        let offset = 0
        for (const item of group) {
          const count = item.batch.events?.length ?? 0
          item.resolve(events.slice(offset, offset + count))
          offset += count
        }
      } catch (error) {
        for (const item of group) item.reject(error)
      }
    }
  }
}

/** Concatenates batches; for rows written twice, the later version wins. */
function merge(batches: TransitionBatch[]): TransitionBatch {
  if (batches.length === 1) return batches[0] as TransitionBatch
  const runs = new Map<string, NonNullable<TransitionBatch['runs']>[number]>()
  const nodes = new Map<string, NonNullable<TransitionBatch['nodes']>[number]>()
  const cache = new Map<string, NonNullable<TransitionBatch['cache']>[number]>()
  const events: NonNullable<TransitionBatch['events']> = []
  for (const batch of batches) {
    for (const run of batch.runs ?? []) {
      runs.delete(run.id)
      runs.set(run.id, run)
    }
    for (const node of batch.nodes ?? []) {
      const key = `${node.runId}\u0000${node.nodeId}`
      nodes.delete(key)
      nodes.set(key, node)
    }
    for (const entry of batch.cache ?? []) cache.set(`${entry.orgId}\u0000${entry.key}`, entry)
    if (batch.events) events.push(...batch.events)
  }
  return { runs: [...runs.values()], nodes: [...nodes.values()], events, cache: [...cache.values()] }
}
