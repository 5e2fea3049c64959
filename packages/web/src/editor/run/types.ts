import type { ErrorInfo, NodeStatus, RunStatus, SkipReason } from '@patchbay/core'

/** What the canvas shows of one node in the run on screen. */
export interface NodeLiveState {
  /** The run this state comes from (an earlier run's when the current run left the node out). */
  runId: string
  status: NodeStatus
  attempt: number
  /** 0–1 from `node.progress`; null when the node reports no fraction (e.g. streamed text). */
  progress: number | null
  /** The latest progress message: for `llm.chat`, the reply streamed so far (its tail). */
  message: string | null
  outputs: Record<string, unknown> | null
  error: ErrorInfo | null
  /** Set while a failed attempt waits to be retried. */
  retry: { attempt: number; delayMs: number; error: ErrorInfo } | null
  skipReason: SkipReason | null
  /** US dollars spent by this node's model calls. */
  cost: number | null
  durationMs: number | null
  queuedAt: string | null
  startedAt: string | null
  finishedAt: string | null
  /** Known only when loaded from the run's detail (`GET /runs/{id}`). */
  inputs: Record<string, unknown> | null
  nodeType: string | null
}

/** A run as the canvas shows it: its summary plus every node's live state. */
export interface RunView {
  id: string
  workflowId: string | null
  status: RunStatus
  /** Sum of node costs while running; the run's own total once finished. */
  cost: number | null
  startedAt: string | null
  finishedAt: string | null
  durationMs: number | null
  /** The nodes asked for (`null` = the whole workflow). */
  scope: string[] | null
  outputs: Record<string, unknown> | null
  error: ErrorInfo | null
  /** The last event applied, to ignore replays. */
  lastSeq: number
  nodes: Record<string, NodeLiveState>
}

/** The readable form of a failed run start (e.g. 400 `INVALID_WORKFLOW`). */
export interface StartError {
  code: string
  message: string
  /** `input` names the workflow input an issue is about (a value the run dialog sent). */
  issues: { code: string; message: string; nodeId?: string; input?: string }[]
  /** Some issue is a provider key the organisation lacks. */
  missingCredential: boolean
}
