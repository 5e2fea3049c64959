import type { RunStatus } from '@patchbay/core'
import { isAssetRef } from '@patchbay/core'
import { nodeFromExecution } from './apply-event.ts'
import type { RunHistory } from './run-store.ts'
import type { NodeLiveState } from './types.ts'

/** One past result of a node: which run, when, and the node's state in it. */
export interface NodeHistoryEntry {
  runId: string
  runStatus: RunStatus
  createdAt: string
  node: NodeLiveState
}

/** The node's results in the loaded history, newest first (runs that did not reach it are left out). */
export function nodeHistory(history: RunHistory, nodeId: string): NodeHistoryEntry[] {
  const entries: NodeHistoryEntry[] = []
  for (const run of history.runs) {
    const execution = run.nodes.find((node) => node.nodeId === nodeId)
    if (!execution || (execution.outputs === null && execution.error === null)) continue
    entries.push({
      runId: run.id,
      runStatus: run.status,
      createdAt: run.createdAt,
      node: nodeFromExecution(run.id, execution),
    })
  }
  return entries
}

/** A few words about outputs, for lists: the start of a text, `2 images`, `42`. */
export function summarizeOutputs(outputs: Record<string, unknown> | null): string {
  if (!outputs) return ''
  const values = Object.values(outputs)
  if (values.length === 0) return 'no output'
  return values.slice(0, 2).map(summarizeValue).join(' · ')
}

function summarizeValue(value: unknown): string {
  if (typeof value === 'string') {
    // Model replies are markdown: list the words, not the syntax.
    const plain = value
      .replace(/[#*_`>~|[\]]+/g, '')
      .replace(/\s+/g, ' ')
      .trim()
    return plain.length > 60 ? `${plain.slice(0, 60)}…` : plain || '(empty text)'
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return '—'
  if (isAssetRef(value)) return value.kind
  if (Array.isArray(value) && value.length > 0 && value.every(isAssetRef)) {
    const kind = value[0]!.kind
    return `${value.length} ${kind === 'audio' ? 'audio clips' : `${kind}s`}`
  }
  return Array.isArray(value) ? `list of ${value.length}` : 'JSON'
}
