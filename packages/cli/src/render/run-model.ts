import type { ErrorInfo, NodeStatus, RunEvent } from '@patchbay/core'

export interface NodeRow {
  id: string
  type: string
  status: NodeStatus
  attempt: number
  progress: number | null
  message: string | undefined
  error: ErrorInfo | undefined
  startedAt: number | undefined
  durationMs: number | undefined
  note: string | undefined
}

/** What a terminal view shows of a run, folded from its events. */
export class RunModel {
  readonly rows = new Map<string, NodeRow>()
  private readonly typeOf: (nodeId: string) => string

  constructor(typeOf: (nodeId: string) => string) {
    this.typeOf = typeOf
  }

  /** Applies one event; returns the row it changed, if any. */
  apply(event: RunEvent): NodeRow | undefined {
    if (event.type === 'run.started') {
      for (const id of event.nodeIds) this.rows.set(id, this.emptyRow(id))
      return undefined
    }
    if (event.type === 'run.finished') return undefined
    const row = this.rows.get(event.nodeId) ?? this.emptyRow(event.nodeId)
    this.rows.set(row.id, row)
    switch (event.type) {
      case 'node.queued':
        Object.assign(row, { status: 'queued', attempt: event.attempt, progress: null, message: undefined })
        break
      case 'node.started':
        Object.assign(row, { status: 'running', attempt: event.attempt, startedAt: Date.parse(event.time) })
        break
      case 'node.progress':
        Object.assign(row, { progress: event.progress, message: event.message && oneLine(event.message) })
        break
      case 'node.succeeded':
        Object.assign(row, {
          status: 'succeeded',
          durationMs: event.durationMs,
          progress: 1,
          message: undefined,
          ...(event.cost === undefined ? {} : { note: formatCost(event.cost) }),
        })
        break
      case 'node.cached':
        Object.assign(row, { status: 'cached', note: 'from cache' })
        break
      case 'node.skipped':
        Object.assign(row, {
          status: 'skipped',
          note: event.reason === 'upstream_failed' ? 'an input failed' : 'branch not taken',
        })
        break
      case 'node.failed':
        Object.assign(row, { status: 'failed', error: event.error, message: undefined })
        break
      case 'node.retrying':
        Object.assign(row, {
          status: 'queued',
          note: `attempt ${event.attempt} failed (${event.error.message}); retrying in ${formatMs(event.delayMs)}`,
        })
        break
      case 'node.canceled':
        Object.assign(row, { status: 'canceled', message: undefined })
        break
    }
    return row
  }

  private emptyRow(id: string): NodeRow {
    return {
      id,
      type: this.typeOf(id),
      status: 'pending',
      attempt: 0,
      progress: null,
      message: undefined,
      error: undefined,
      startedAt: undefined,
      durationMs: undefined,
      note: undefined,
    }
  }
}

/** The end of a (possibly streamed, multi-line) progress message, on one line. */
function oneLine(message: string, max = 80): string {
  const flat = message.replace(/\s+/g, ' ').trim()
  return flat.length <= max ? flat : `…${flat.slice(flat.length - max + 1)}`
}

/** US dollars with enough digits for cheap calls: $0.003, $0.042, $1.20. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${usd.toFixed(4).replace(/0+$/, '')}`
  return `$${usd.toFixed(usd < 1 ? 3 : 2).replace(/(\.\d\d)0$/, '$1')}`
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}
