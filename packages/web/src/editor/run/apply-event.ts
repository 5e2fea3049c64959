import type { NodeStatus, RunEvent } from '@patchbay/core'
import type { NodeExecution, Run, RunDetail } from '@patchbay/sdk'
import type { NodeLiveState, RunView } from './types.ts'

/** A node the run has not touched yet. */
export function pendingNode(runId: string): NodeLiveState {
  return {
    runId,
    status: 'pending',
    attempt: 0,
    progress: null,
    message: null,
    outputs: null,
    error: null,
    retry: null,
    skipReason: null,
    cost: null,
    durationMs: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    inputs: null,
    nodeType: null,
  }
}

/**
 * A run that has just been started (or whose events are about to be replayed from the start).
 * `previous` nodes are kept, still naming their own run, so that nodes a scoped run leaves out
 * keep showing their last outputs.
 */
export function startedRunView(run: Run, previous?: RunView | null): RunView {
  return {
    id: run.id,
    workflowId: run.workflowId,
    status: run.status,
    cost: run.cost,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: null,
    scope: run.scope,
    outputs: run.outputs,
    error: run.error,
    lastSeq: 0,
    nodes: previous ? carriedOver(previous) : {},
  }
}

function carriedOver(previous: RunView): Record<string, NodeLiveState> {
  const nodes: Record<string, NodeLiveState> = {}
  for (const [id, node] of Object.entries(previous.nodes)) {
    // Work that never finished in the earlier run says nothing useful now.
    if (node.status === 'succeeded' || node.status === 'cached' || node.status === 'failed') nodes[id] = node
  }
  return nodes
}

/** The run as `GET /runs/{id}` describes it (no events applied yet). */
export function runViewFromDetail(detail: RunDetail): RunView {
  const nodes: Record<string, NodeLiveState> = {}
  for (const execution of detail.nodes) nodes[execution.nodeId] = nodeFromExecution(detail.id, execution)
  return {
    ...startedRunView(detail),
    durationMs: spanMs(detail.startedAt, detail.finishedAt),
    nodes,
  }
}

/** One node of a run's detail, as the canvas shows it. */
export function nodeFromExecution(runId: string, execution: NodeExecution): NodeLiveState {
  return {
    ...pendingNode(runId),
    status: execution.status,
    attempt: execution.attempt,
    progress: execution.status === 'succeeded' ? 1 : null,
    outputs: execution.outputs,
    error: execution.error,
    skipReason: execution.skipReason,
    cost: execution.cost,
    durationMs: spanMs(execution.startedAt, execution.finishedAt),
    queuedAt: execution.queuedAt,
    startedAt: execution.startedAt,
    finishedAt: execution.finishedAt,
    inputs: execution.inputs,
    nodeType: execution.nodeType,
  }
}

/**
 * Applies one run event. Pure: returns a new view (or `state` itself when the event is a
 * replay, belongs to another run, or changes nothing), so the store and tests share it.
 *
 * @example
 * let view = startedRunView(run)
 * for await (const event of api.runs.events(run.id)) view = applyRunEvent(view, event)
 */
export function applyRunEvent(state: RunView, event: RunEvent): RunView {
  if (event.runId !== state.id || event.seq <= state.lastSeq) return state
  const next: RunView = { ...state, lastSeq: event.seq }
  const node = (nodeId: string, change: (current: NodeLiveState) => Partial<NodeLiveState>): RunView => {
    const current = fresh(state, nodeId)
    return { ...next, nodes: { ...state.nodes, [nodeId]: { ...current, ...change(current) } } }
  }
  switch (event.type) {
    case 'run.started': {
      const nodes = { ...state.nodes }
      for (const id of event.nodeIds) {
        // Inputs and types are known only from a loaded detail: keep them across a replay.
        const known = state.nodes[id]?.runId === state.id ? state.nodes[id] : undefined
        nodes[id] = { ...pendingNode(state.id), inputs: known?.inputs ?? null, nodeType: known?.nodeType ?? null }
      }
      // A replay from the start rebuilds everything, the running cost included.
      return {
        ...next,
        status: 'running',
        startedAt: state.startedAt ?? event.time,
        finishedAt: null,
        cost: null,
        nodes,
      }
    }
    case 'node.queued':
      return node(event.nodeId, () => ({
        status: 'queued',
        attempt: event.attempt,
        queuedAt: event.time,
        progress: null,
        message: null,
      }))
    case 'node.started':
      return node(event.nodeId, () => ({
        status: 'running',
        attempt: event.attempt,
        startedAt: event.time,
        progress: null,
        message: null,
        retry: null,
      }))
    case 'node.progress':
      return node(event.nodeId, (current) => ({
        progress: event.progress,
        // Streamed text arrives whole (its tail) in each message, so it replaces, not appends.
        message: event.message ?? current.message,
      }))
    case 'node.succeeded': {
      const updated = node(event.nodeId, () => ({
        status: 'succeeded',
        attempt: event.attempt,
        outputs: event.outputs,
        durationMs: event.durationMs,
        cost: event.cost ?? null,
        finishedAt: event.time,
        progress: 1,
        message: null,
        error: null,
        retry: null,
      }))
      return event.cost === undefined ? updated : { ...updated, cost: (state.cost ?? 0) + event.cost }
    }
    case 'node.cached':
      return node(event.nodeId, () => ({
        status: 'cached',
        outputs: event.outputs,
        finishedAt: event.time,
        progress: 1,
        error: null,
      }))
    case 'node.skipped':
      return node(event.nodeId, () => ({ status: 'skipped', skipReason: event.reason, finishedAt: event.time }))
    case 'node.failed':
      return node(event.nodeId, (current) => ({
        status: 'failed',
        attempt: event.attempt || current.attempt,
        error: event.error,
        retry: null,
        finishedAt: event.time,
        durationMs: spanMs(current.startedAt, event.time),
        progress: null,
      }))
    case 'node.retrying':
      return node(event.nodeId, () => ({
        retry: { attempt: event.attempt, delayMs: event.delayMs, error: event.error },
      }))
    case 'node.canceled':
      return node(event.nodeId, (current) => ({
        status: 'canceled',
        finishedAt: event.time,
        durationMs: spanMs(current.startedAt, event.time),
        progress: null,
      }))
    case 'run.finished':
      return {
        ...next,
        status: event.status,
        outputs: event.outputs,
        error: event.error ?? null,
        durationMs: event.durationMs,
        cost: event.cost,
        finishedAt: event.time,
      }
    default:
      return next
  }
}

/** The node's state in this run (a node carried over from an earlier run starts afresh). */
function fresh(state: RunView, nodeId: string): NodeLiveState {
  const current = state.nodes[nodeId]
  return current && current.runId === state.id ? current : pendingNode(state.id)
}

/** Milliseconds between two timestamps, or null when either is missing. */
export function spanMs(from: string | null, to: string | null): number | null {
  if (!from || !to) return null
  const ms = Date.parse(to) - Date.parse(from)
  return Number.isFinite(ms) && ms >= 0 ? ms : null
}

const activeStatuses: ReadonlySet<NodeStatus> = new Set(['pending', 'queued', 'running'])

/** Whether the node is still waiting or working. */
export function isNodeActive(status: NodeStatus): boolean {
  return activeStatuses.has(status)
}
