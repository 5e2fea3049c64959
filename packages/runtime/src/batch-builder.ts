import type { RunEventBody } from '@patchbay/core'
import type { CacheEntry, EventDraft, NodeExecutionRecord, RunRecord, TransitionBatch } from '@patchbay/db'

/**
 * Collects the transitions of one step. Rows are referenced while building and copied in
 * `build()`, so a batch holds the state at the moment it is handed to the commit queue.
 */
export class BatchBuilder {
  private readonly runs = new Map<string, RunRecord>()
  private readonly nodes = new Map<string, NodeExecutionRecord>()
  private readonly events: EventDraft[] = []
  private readonly cache: CacheEntry[] = []

  run(record: RunRecord): this {
    this.runs.set(record.id, record)
    return this
  }

  node(record: NodeExecutionRecord): this {
    this.nodes.set(`${record.runId}\u0000${record.nodeId}`, record)
    return this
  }

  event(runId: string, body: RunEventBody): this {
    // Object.assign rather than a spread: the bodies have many shapes, and spreading them
    // made this a hot spot in wide runs.
    this.events.push(Object.assign({ runId, time: new Date().toISOString() }, body) as EventDraft)
    return this
  }

  cacheEntry(entry: CacheEntry): this {
    this.cache.push(entry)
    return this
  }

  get isEmpty(): boolean {
    return this.runs.size === 0 && this.nodes.size === 0 && this.events.length === 0 && this.cache.length === 0
  }

  build(): TransitionBatch {
    return {
      runs: [...this.runs.values()].map((record) => ({ ...record })),
      nodes: [...this.nodes.values()].map((record) => ({ ...record })),
      events: this.events,
      cache: this.cache,
    }
  }
}
