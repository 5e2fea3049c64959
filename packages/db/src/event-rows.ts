import type { RunEvent, RunEventBody } from '@patchbay/core'
import { asStoredJson, toEventDate } from './json.ts'
import type { EventDraft } from './store.ts'

/** How an event is stored: `type` and `nodeId` in columns, the rest of its body as JSON. */
export interface EventRow {
  runId: string
  seq: number
  type: string
  nodeId: string | null
  time: Date
  payload: Record<string, unknown>
}

/** Splits a numbered event into its row. */
export function toEventRow(draft: EventDraft, seq: number): EventRow {
  const { runId, time, type, nodeId, ...payload } = draft as EventDraft & { nodeId?: string }
  return { runId, seq, type, nodeId: nodeId ?? null, time: toEventDate(time), payload: asStoredJson(payload) }
}

/** Rebuilds the event exactly as it was committed (with its time in ISO form). */
export function fromEventRow(row: EventRow): RunEvent {
  const body = { type: row.type, ...(row.nodeId === null ? {} : { nodeId: row.nodeId }), ...row.payload }
  return { ...(body as RunEventBody), runId: row.runId, seq: row.seq, time: row.time.toISOString() }
}
