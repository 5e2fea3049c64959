export const runStatuses = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const
export type RunStatus = (typeof runStatuses)[number]

export const nodeStatuses = [
  'pending',
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cached',
  'canceled',
] as const
export type NodeStatus = (typeof nodeStatuses)[number]

/** Why a node did not run: its branch was not taken, or something it needs failed. */
export type SkipReason = 'branch_inactive' | 'upstream_failed'

const terminalNodeStatuses: ReadonlySet<NodeStatus> = new Set(['succeeded', 'failed', 'skipped', 'cached', 'canceled'])

export function isTerminalNode(status: NodeStatus): boolean {
  return terminalNodeStatuses.has(status)
}

export function isTerminalRun(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled'
}

/** What the scheduler needs to know of one node. */
export interface NodeRunState {
  status: NodeStatus
  /** Active outputs only (inactive outputs are absent). Set when succeeded or cached. */
  outputs?: Record<string, unknown> | null
  skipReason?: SkipReason | null
}
