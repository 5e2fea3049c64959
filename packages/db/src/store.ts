import type {
  AssetRef,
  ErrorInfo,
  NodeStatus,
  RunEvent,
  RunEventBody,
  RunStatus,
  SkipReason,
  Workflow,
} from '@patchbay/core'
import type { UsageQuery, UsageSummary } from './usage.ts'

/** The organisation every embedded, single-user installation works in. */
export const DEFAULT_ORG_ID = 'default'

export interface WorkflowRecord {
  id: string
  orgId: string
  name: string
  document: Workflow
  /** Bumped by every update; a stale write is refused (optimistic concurrency). */
  revision: number
  createdAt: Date
  updatedAt: Date
}

/** An immutable snapshot of a workflow document. Identical documents share one version. */
export interface WorkflowVersionRecord {
  id: string
  orgId: string
  workflowId: string | null
  /** sha256 of the canonical JSON of `document`. */
  hash: string
  document: Workflow
  createdAt: Date
}

export interface RunRecord {
  id: string
  orgId: string
  workflowId: string | null
  versionId: string
  status: RunStatus
  inputs: Record<string, unknown>
  /** Node ids the run was asked to execute (with their upstream); null = all nodes. */
  scope: string[] | null
  outputs: Record<string, unknown> | null
  error: ErrorInfo | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
  /** US dollars spent by its model calls with known prices (null until it finishes). */
  cost: number | null
}

/** One node of one run; attempts are counted in place, their history is in the events. */
export interface NodeExecutionRecord {
  runId: string
  nodeId: string
  nodeType: string
  status: NodeStatus
  /** 0 until first queued. */
  attempt: number
  cacheKey: string | null
  /** Resolved params (after `{{inputs.x}}` substitution) the attempt ran with. */
  params: Record<string, unknown> | null
  /** Input values (media as AssetRefs). */
  inputs: Record<string, unknown> | null
  outputs: Record<string, unknown> | null
  error: ErrorInfo | null
  skipReason: SkipReason | null
  queuedAt: Date | null
  startedAt: Date | null
  finishedAt: Date | null
  /** A queued retry must not start before this time. */
  notBefore: Date | null
  cost: number | null
}

/** An event before the store gives it its per-run sequence number. */
export type EventDraft = RunEventBody & { runId: string; time: string }

export interface CacheEntry {
  orgId: string
  key: string
  nodeType: string
  outputs: Record<string, unknown>
}

export interface AssetRecord extends AssetRef {
  orgId: string
  /** Where the bytes live in the AssetStore. */
  storageKey: string
  name: string | null
  createdAt: Date
}

/**
 * Everything that commits together. Runs and node executions are full rows (upserted);
 * events get consecutive `seq` numbers per run, in the order given.
 */
export interface TransitionBatch {
  runs?: RunRecord[]
  nodes?: NodeExecutionRecord[]
  events?: EventDraft[]
  cache?: CacheEntry[]
}

/** A run read under its lock, and what may be done while holding it. */
export interface LockedRun {
  readonly run: RunRecord
  /** Every node execution row the run has, in no particular order. */
  readonly nodes: NodeExecutionRecord[]
  getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>>
  /** Writes the batch inside the locked transaction; returns its events with their `seq`. */
  commit(batch: TransitionBatch): Promise<RunEvent[]>
}

/** `conflict` carries the current record, whose revision differs from the expected one. */
export type UpdateWorkflowResult =
  | { status: 'updated'; workflow: WorkflowRecord }
  | { status: 'conflict'; workflow: WorkflowRecord }
  | { status: 'missing' }

export interface PageQuery {
  /** 1–500. */
  limit: number
  offset: number
}

/** One page of a listing and the number of matching rows in all pages. */
export interface Page<T> {
  items: T[]
  total: number
}

export interface ListWorkflowsQuery extends PageQuery {
  orgId: string
  search?: string
}

export interface ListRunsQuery extends PageQuery {
  orgId: string
  workflowId?: string
  status?: RunStatus
}

export interface ListAssetsQuery extends PageQuery {
  orgId: string
  kind?: AssetRef['kind']
  /** Matches the name case-insensitively. */
  search?: string
}

/**
 * Durable state of workflows, runs and assets. One contract, several siblings (PGlite,
 * PostgreSQL, memory) that all pass the same test suite.
 */
export interface Store {
  readonly kind: 'pglite' | 'postgres' | 'memory'

  createWorkflow(args: { id: string; orgId: string; document: Workflow }): Promise<WorkflowRecord>
  getWorkflow(orgId: string, id: string): Promise<WorkflowRecord | undefined>
  /** Newest first (by `updatedAt`, then id); `search` matches the name case-insensitively. */
  listWorkflows(query: ListWorkflowsQuery): Promise<Page<WorkflowRecord>>
  /**
   * Replaces the document when the stored revision equals `expectedRevision` (then bumps it
   * and `updatedAt`, and copies the document's name). `conflict` carries the current record.
   */
  updateWorkflow(args: {
    orgId: string
    id: string
    document: Workflow
    expectedRevision: number
  }): Promise<UpdateWorkflowResult>
  /** Deletes the workflow; its versions and runs stay (their `workflowId` becomes null). */
  deleteWorkflow(orgId: string, id: string): Promise<boolean>
  /** Returns the existing version when an identical document (same hash) was saved before in this org. */
  saveVersion(args: {
    id: string
    orgId: string
    workflowId: string | null
    document: Workflow
  }): Promise<WorkflowVersionRecord>
  getVersion(orgId: string, id: string): Promise<WorkflowVersionRecord | undefined>
  /** Versions saved for a workflow, newest first. */
  listVersions(orgId: string, workflowId: string, page: PageQuery): Promise<Page<WorkflowVersionRecord>>

  /** Atomically writes the batch; returns its events with their assigned `seq`. */
  commit(batch: TransitionBatch): Promise<RunEvent[]>
  /**
   * Runs `work` in one transaction holding an exclusive lock on the run, across processes
   * (PostgreSQL: the run's row `FOR NO KEY UPDATE`): what it reads through `locked` and what it
   * commits there are atomic with respect to every other `withRunLock` of that run. Scaled
   * deployments advance runs under it, so two workers finishing sibling nodes at once never
   * both dispatch their join. The events `locked.commit` returns are durable only once this
   * resolves. Resolves `undefined`, without calling `work`, when the run does not exist.
   */
  withRunLock<T>(runId: string, work: (locked: LockedRun) => Promise<T>): Promise<T | undefined>

  getRun(orgId: string, id: string): Promise<RunRecord | undefined>
  /** Newest first (by `createdAt`, then id). */
  listRuns(query: ListRunsQuery): Promise<Page<RunRecord>>
  /** Runs whose status is `queued` or `running`, across organisations (for crash recovery). */
  listUnfinishedRuns(): Promise<RunRecord[]>
  /**
   * Work of `running` runs that may have been lost, across organisations (the scaled sweeper):
   * nodes `running` since before `before`, or `queued` and due since before it; and runs started
   * before it with no node queued or running. At most `limit` of each.
   */
  listStalledWork(before: Date, limit: number): Promise<{ nodes: NodeExecutionRecord[]; idleRunIds: string[] }>
  listNodeExecutions(runId: string): Promise<NodeExecutionRecord[]>
  /** Events with `seq > afterSeq`, ascending, at most `limit` (default 1000). */
  listEvents(runId: string, afterSeq?: number, limit?: number): Promise<RunEvent[]>
  /**
   * Runs, node executions and spend of the runs created in `[from, to)`, aggregated by day
   * (UTC), workflow and model. Throws a `RangeError` for an invalid period (see `checkPeriod`).
   */
  usageSummary(query: UsageQuery): Promise<UsageSummary>

  /** Cached outputs for those keys that have an entry. */
  getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>>

  /** Inserts the asset, or returns the existing one with the same org, sha256 and mime. */
  upsertAsset(asset: AssetRecord): Promise<AssetRecord>
  getAsset(orgId: string, id: string): Promise<AssetRecord | undefined>
  /** Newest first (by `createdAt`, then id). */
  listAssets(query: ListAssetsQuery): Promise<Page<AssetRecord>>
  /** Removes the record and returns it (the caller deletes the bytes when no record shares them). */
  deleteAsset(orgId: string, id: string): Promise<AssetRecord | undefined>
  /** Whether any asset record (in any organisation) still points at `storageKey`. */
  isStorageKeyUsed(storageKey: string): Promise<boolean>

  /** Resolves once the database answers a trivial query (`select 1`); readiness probes call it. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** The row of a node that has not been considered yet (what a missing row means). */
export function pendingNodeExecution(runId: string, nodeId: string, nodeType: string): NodeExecutionRecord {
  return {
    runId,
    nodeId,
    nodeType,
    status: 'pending',
    attempt: 0,
    cacheKey: null,
    params: null,
    inputs: null,
    outputs: null,
    error: null,
    skipReason: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    notBefore: null,
    cost: null,
  }
}
