import { NotFoundError } from '@patchbay/core'
import { type EventRow, toEventRow } from './event-rows.ts'
import type { CacheEntry, EventDraft, NodeExecutionRecord, RunRecord, TransitionBatch } from './store.ts'

/**
 * A batch ready to write: one row per key (the last one given wins, as if applied in order),
 * rows sorted by key so that concurrent transactions lock rows in the same order, and the
 * number of events per run.
 */
export interface PreparedBatch {
  runs: RunRecord[]
  nodes: NodeExecutionRecord[]
  cache: CacheEntry[]
  events: EventDraft[]
  eventCounts: Map<string, number>
  /** Runs whose row the batch writes (upserts or seq bumps), sorted. */
  runIds: string[]
}

export function prepareBatch(batch: TransitionBatch): PreparedBatch {
  const runs = lastByKey(batch.runs ?? [], (run) => run.id)
  const nodes = lastByKey(batch.nodes ?? [], (node) => `${node.runId}\u0000${node.nodeId}`)
  const cache = lastByKey(batch.cache ?? [], (entry) => `${entry.orgId}\u0000${entry.key}`)
  const events = batch.events ?? []
  const eventCounts = new Map<string, number>()
  for (const event of events) eventCounts.set(event.runId, (eventCounts.get(event.runId) ?? 0) + 1)
  const runIds = [...new Set([...runs.map((run) => run.id), ...eventCounts.keys()])].sort(compareKeys)
  return { runs, nodes, cache, events, eventCounts, runIds }
}

/** Whether the batch writes nothing (no run, node or cache row, and so no event). */
export function isEmptyBatch(batch: PreparedBatch): boolean {
  return batch.runIds.length === 0 && batch.nodes.length === 0 && batch.cache.length === 0
}

/**
 * Numbers the batch's events: `lastSeqs` holds each run's last seq after the batch's events
 * were reserved, so a run's events take the `count` numbers ending there, in the order given.
 */
export function numberEvents(batch: PreparedBatch, lastSeqs: ReadonlyMap<string, number>): EventRow[] {
  const next = new Map<string, number>()
  for (const [runId, count] of batch.eventCounts) {
    const last = lastSeqs.get(runId)
    if (last === undefined) throw new NotFoundError('run', runId)
    next.set(runId, last - count + 1)
  }
  return batch.events.map((event) => {
    const seq = next.get(event.runId) ?? 0
    next.set(event.runId, seq + 1)
    return toEventRow(event, seq)
  })
}

function lastByKey<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>()
  for (const row of rows) byKey.set(keyOf(row), row)
  return [...byKey.entries()].sort(([a], [b]) => compareKeys(a, b)).map(([, row]) => row)
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
