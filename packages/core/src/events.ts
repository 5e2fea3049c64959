import type { ErrorInfo } from './errors.ts'
import type { RunStatus, SkipReason } from './scheduler/states.ts'

/**
 * What happened to a run, in order. Every state transition appends one; the CLI's `--json`,
 * the API's SSE stream and the canvas all speak this vocabulary.
 */
export type RunEventBody =
  | { type: 'run.started'; workflowName: string; nodeIds: string[]; inputs: Record<string, unknown> }
  | { type: 'node.queued'; nodeId: string; attempt: number }
  | { type: 'node.started'; nodeId: string; attempt: number }
  | { type: 'node.progress'; nodeId: string; attempt: number; progress: number | null; message?: string }
  | {
      type: 'node.succeeded'
      nodeId: string
      attempt: number
      outputs: Record<string, unknown>
      durationMs: number
      /** US dollars spent by this node's model calls (all attempts), when any had a known price. */
      cost?: number
    }
  | { type: 'node.cached'; nodeId: string; outputs: Record<string, unknown> }
  | { type: 'node.skipped'; nodeId: string; reason: SkipReason }
  | { type: 'node.failed'; nodeId: string; attempt: number; error: ErrorInfo }
  | { type: 'node.retrying'; nodeId: string; attempt: number; delayMs: number; error: ErrorInfo }
  | { type: 'node.canceled'; nodeId: string }
  | {
      type: 'run.finished'
      status: RunStatus
      outputs: Record<string, unknown>
      error?: ErrorInfo
      durationMs: number
      /** US dollars spent by the run's model calls with known prices. */
      cost: number
    }

export type RunEventType = RunEventBody['type']

/** A persisted event: its body plus the run, a per-run sequence number and a timestamp. */
export type RunEvent = RunEventBody & { runId: string; seq: number; time: string }

export const runEventTypes: readonly RunEventType[] = [
  'run.started',
  'node.queued',
  'node.started',
  'node.progress',
  'node.succeeded',
  'node.cached',
  'node.skipped',
  'node.failed',
  'node.retrying',
  'node.canceled',
  'run.finished',
]
