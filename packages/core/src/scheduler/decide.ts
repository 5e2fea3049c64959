import type { RunGraph } from './run-graph.ts'
import { isTerminalNode, type NodeRunState, type RunStatus, type SkipReason } from './states.ts'

export type Decision =
  | { nodeId: string; action: 'run'; inputs: Record<string, unknown> }
  | { nodeId: string; action: 'skip'; reason: SkipReason }

type EdgeResolution = 'pending' | 'active' | 'inactive' | 'failed'

/**
 * The ready-set step of the scheduler. For each pending candidate whose incoming edges are
 * all resolved, decides whether it runs (with its gathered input values) or is skipped.
 * Pure: the caller applies the decisions and calls again with the successors of what changed.
 *
 * - An edge is *active* when its source produced that output, *inactive* when the output
 *   was not produced (branch not taken, or source skipped as inactive), *failed* when its
 *   source failed, was canceled, or was skipped because something upstream failed.
 * - Any failed edge skips the node (`upstream_failed`); a node whose edges are all inactive,
 *   or whose required input has no active edge, is skipped (`branch_inactive`); otherwise
 *   it runs with the values of its active edges (arrays in edge order for `multiple`).
 */
export function decide(
  graph: RunGraph,
  states: ReadonlyMap<string, NodeRunState>,
  candidates: Iterable<string>,
): Decision[] {
  const decisions: Decision[] = []
  for (const nodeId of candidates) {
    if (states.get(nodeId)?.status !== 'pending') continue
    const { incoming, inputs: specs } = graph.get(nodeId)
    let pending = false
    let failed = false
    let anyActive = false
    const values: Record<string, unknown> = {}
    for (const edge of incoming) {
      const resolution = resolveEdge(states.get(edge.source), edge.sourceHandle)
      if (resolution === 'pending') {
        pending = true
        break
      }
      if (resolution === 'failed') failed = true
      if (resolution !== 'active') continue
      anyActive = true
      const value = states.get(edge.source)?.outputs?.[edge.sourceHandle]
      const spec = specs[edge.targetHandle]
      if (spec?.multiple) {
        const list = (values[edge.targetHandle] as unknown[] | undefined) ?? []
        // A list output feeding a port of single items (see isCompatible) adds its items.
        if (Array.isArray(value) && !spec.list && spec.type !== 'any' && spec.type !== 'json') list.push(...value)
        else list.push(value)
        values[edge.targetHandle] = list
      } else values[edge.targetHandle] = value
    }
    if (pending) continue
    if (failed) {
      decisions.push({ nodeId, action: 'skip', reason: 'upstream_failed' })
    } else if (
      (incoming.length > 0 && !anyActive) ||
      Object.entries(specs).some(([handle, spec]) => spec.required && !(handle in values))
    ) {
      decisions.push({ nodeId, action: 'skip', reason: 'branch_inactive' })
    } else {
      decisions.push({ nodeId, action: 'run', inputs: values })
    }
  }
  return decisions
}

function resolveEdge(source: NodeRunState | undefined, handle: string): EdgeResolution {
  if (!source || !isTerminalNode(source.status)) return 'pending'
  switch (source.status) {
    case 'succeeded':
    case 'cached':
      return source.outputs && source.outputs[handle] !== undefined ? 'active' : 'inactive'
    case 'skipped':
      return source.skipReason === 'upstream_failed' ? 'failed' : 'inactive'
    default:
      return 'failed'
  }
}

/** The run's status once every node is terminal, else undefined. */
export function runOutcome(states: ReadonlyMap<string, NodeRunState>): RunStatus | undefined {
  let failed = false
  let canceled = false
  for (const state of states.values()) {
    if (!isTerminalNode(state.status)) return undefined
    if (state.status === 'failed') failed = true
    if (state.status === 'canceled') canceled = true
  }
  return canceled ? 'canceled' : failed ? 'failed' : 'succeeded'
}
