import { NotFoundError, nodeStatuses, type RunEvent, runStatuses, type Workflow } from '@patchbay/core'
import { numberEvents, type PreparedBatch, prepareBatch } from '../batch.ts'
import { compareBytes } from '../byte-order.ts'
import { fromEventRow } from '../event-rows.ts'
import { documentHash } from '../hash.ts'
import { asStoredJson } from '../json.ts'
import { checkPage } from '../page.ts'
import type {
  AssetRecord,
  ListAssetsQuery,
  ListRunsQuery,
  ListWorkflowsQuery,
  LockedRun,
  NodeExecutionRecord,
  Page,
  PageQuery,
  RunRecord,
  Store,
  TransitionBatch,
  UpdateWorkflowResult,
  WorkflowRecord,
  WorkflowVersionRecord,
} from '../store.ts'
import { checkPeriod, type UsageQuery, type UsageSummary } from '../usage.ts'
import { getOrAdd } from './get-or-add.ts'
import { summarizeUsage } from './memory-usage.ts'

/**
 * The {@link Store} in plain maps, for fast engine tests. It enforces what the SQL schema
 * enforces (keys, references, status values) and returns copies, so it behaves like the
 * SQL siblings; commits are atomic because each one validates, then applies without awaiting.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const
  readonly #workflows = new Map<string, WorkflowRecord>()
  readonly #versions = new Map<string, WorkflowVersionRecord>()
  readonly #runs = new Map<string, { run: RunRecord; lastSeq: number }>()
  readonly #nodes = new Map<string, Map<string, NodeExecutionRecord>>()
  readonly #events = new Map<string, RunEvent[]>()
  readonly #cache = new Map<string, Record<string, unknown>>()
  readonly #assets = new Map<string, AssetRecord>()
  /** Tail of each run's lock queue (withRunLock). */
  readonly #runLocks = new Map<string, Promise<void>>()
  #closed = false

  async createWorkflow(args: { id: string; orgId: string; document: Workflow }): Promise<WorkflowRecord> {
    this.#checkOpen()
    if (this.#workflows.has(args.id)) throw new Error(`workflow ${args.id} already exists`)
    const now = new Date()
    const record: WorkflowRecord = {
      id: args.id,
      orgId: args.orgId,
      name: args.document.name,
      document: asStoredJson(args.document),
      revision: 1,
      createdAt: now,
      updatedAt: now,
    }
    this.#workflows.set(record.id, record)
    return structuredClone(record)
  }

  async getWorkflow(orgId: string, id: string): Promise<WorkflowRecord | undefined> {
    this.#checkOpen()
    return copyIfInOrg(this.#workflows.get(id), orgId)
  }

  async listWorkflows(query: ListWorkflowsQuery): Promise<Page<WorkflowRecord>> {
    this.#checkOpen()
    checkPage(query)
    const matching = [...this.#workflows.values()].filter(
      (workflow) => workflow.orgId === query.orgId && nameContains(workflow.name, query.search),
    )
    return pageOf(matching, (a, b) => newestFirst(a.updatedAt, a.id, b.updatedAt, b.id), query)
  }

  async updateWorkflow(args: {
    orgId: string
    id: string
    document: Workflow
    expectedRevision: number
  }): Promise<UpdateWorkflowResult> {
    this.#checkOpen()
    const current = this.#workflows.get(args.id)
    if (!current || current.orgId !== args.orgId) return { status: 'missing' }
    if (current.revision !== args.expectedRevision) return { status: 'conflict', workflow: structuredClone(current) }
    const updated: WorkflowRecord = {
      ...current,
      name: args.document.name,
      document: asStoredJson(args.document),
      revision: current.revision + 1,
      updatedAt: new Date(),
    }
    this.#workflows.set(updated.id, updated)
    return { status: 'updated', workflow: structuredClone(updated) }
  }

  async deleteWorkflow(orgId: string, id: string): Promise<boolean> {
    this.#checkOpen()
    if (this.#workflows.get(id)?.orgId !== orgId) return false
    this.#workflows.delete(id)
    // What the foreign keys' `on delete set null` does.
    for (const version of this.#versions.values()) if (version.workflowId === id) version.workflowId = null
    for (const { run } of this.#runs.values()) if (run.workflowId === id) run.workflowId = null
    return true
  }

  async saveVersion(args: {
    id: string
    orgId: string
    workflowId: string | null
    document: Workflow
  }): Promise<WorkflowVersionRecord> {
    this.#checkOpen()
    const hash = documentHash(args.document)
    for (const version of this.#versions.values()) {
      if (version.orgId === args.orgId && version.hash === hash) return structuredClone(version)
    }
    if (this.#versions.has(args.id)) throw new Error(`version ${args.id} already exists`)
    if (args.workflowId !== null && !this.#workflows.has(args.workflowId)) {
      throw new NotFoundError('workflow', args.workflowId)
    }
    const record: WorkflowVersionRecord = {
      ...args,
      hash,
      document: asStoredJson(args.document),
      createdAt: new Date(),
    }
    this.#versions.set(record.id, record)
    return structuredClone(record)
  }

  async getVersion(orgId: string, id: string): Promise<WorkflowVersionRecord | undefined> {
    this.#checkOpen()
    return copyIfInOrg(this.#versions.get(id), orgId)
  }

  async listVersions(orgId: string, workflowId: string, page: PageQuery): Promise<Page<WorkflowVersionRecord>> {
    this.#checkOpen()
    checkPage(page)
    const matching = [...this.#versions.values()].filter(
      (version) => version.orgId === orgId && version.workflowId === workflowId,
    )
    return pageOf(matching, (a, b) => newestFirst(a.createdAt, a.id, b.createdAt, b.id), page)
  }

  async commit(batch: TransitionBatch): Promise<RunEvent[]> {
    this.#checkOpen()
    const prepared = prepareBatch(batch)
    this.#check(prepared)
    const lastSeqs = new Map<string, number>()
    for (const [runId, count] of prepared.eventCounts) {
      lastSeqs.set(runId, (this.#runs.get(runId)?.lastSeq ?? 0) + count)
    }
    // Numbering validates event times, so it happens before anything is written.
    const events = numberEvents(prepared, lastSeqs).map(fromEventRow)
    for (const run of prepared.runs) {
      const existing = this.#runs.get(run.id)
      const stored = storedRun(run)
      if (existing) Object.assign(stored, { orgId: existing.run.orgId, createdAt: existing.run.createdAt })
      this.#runs.set(run.id, { run: stored, lastSeq: existing?.lastSeq ?? 0 })
    }
    for (const [runId, lastSeq] of lastSeqs) this.#runs.get(runId)!.lastSeq = lastSeq
    for (const node of prepared.nodes) {
      getOrAdd(this.#nodes, node.runId, () => new Map()).set(node.nodeId, storedNode(node))
    }
    for (const event of events) getOrAdd(this.#events, event.runId, () => []).push(event)
    for (const entry of prepared.cache) this.#cache.set(cacheKey(entry.orgId, entry.key), asStoredJson(entry.outputs))
    return structuredClone(events)
  }

  async withRunLock<T>(runId: string, work: (locked: LockedRun) => Promise<T>): Promise<T | undefined> {
    this.#checkOpen()
    const previous = this.#runLocks.get(runId) ?? Promise.resolve()
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const chain = previous.then(() => held)
    this.#runLocks.set(runId, chain)
    await previous
    try {
      const stored = this.#runs.get(runId)
      if (!stored) return undefined
      return await work({
        run: structuredClone(stored.run),
        nodes: this.#nodesOf(runId).map((node) => structuredClone(node)),
        getCached: (orgId, keys) => this.getCached(orgId, keys),
        commit: (batch) => this.commit(batch),
      })
    } finally {
      release()
      if (this.#runLocks.get(runId) === chain) this.#runLocks.delete(runId)
    }
  }

  async getRun(orgId: string, id: string): Promise<RunRecord | undefined> {
    this.#checkOpen()
    return copyIfInOrg(this.#runs.get(id)?.run, orgId)
  }

  async listRuns(query: ListRunsQuery): Promise<Page<RunRecord>> {
    this.#checkOpen()
    checkPage(query)
    const matching = [...this.#runs.values()]
      .map(({ run }) => run)
      .filter(
        (run) =>
          run.orgId === query.orgId &&
          (query.workflowId === undefined || run.workflowId === query.workflowId) &&
          (query.status === undefined || run.status === query.status),
      )
    return pageOf(matching, (a, b) => newestFirst(a.createdAt, a.id, b.createdAt, b.id), query)
  }

  async listStalledWork(before: Date, limit: number): Promise<{ nodes: NodeExecutionRecord[]; idleRunIds: string[] }> {
    this.#checkOpen()
    const nodes: NodeExecutionRecord[] = []
    const idleRunIds: string[] = []
    const cutoff = before.getTime()
    for (const { run } of this.#runs.values()) {
      if (run.status !== 'running') continue
      const rows = this.#nodesOf(run.id)
      for (const node of rows) {
        const since =
          node.status === 'running'
            ? node.startedAt?.getTime()
            : node.status === 'queued'
              ? Math.max(node.queuedAt?.getTime() ?? 0, node.notBefore?.getTime() ?? 0)
              : undefined
        if (since !== undefined && since < cutoff && nodes.length < limit) nodes.push(structuredClone(node))
      }
      const inFlight = rows.some((node) => node.status === 'queued' || node.status === 'running')
      if (!inFlight && (run.startedAt?.getTime() ?? 0) < cutoff && idleRunIds.length < limit) idleRunIds.push(run.id)
    }
    return { nodes, idleRunIds }
  }

  async listUnfinishedRuns(): Promise<RunRecord[]> {
    this.#checkOpen()
    return [...this.#runs.values()]
      .map(({ run }) => run)
      .filter((run) => run.status === 'queued' || run.status === 'running')
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || compareBytes(a.id, b.id))
      .map((run) => structuredClone(run))
  }

  async listNodeExecutions(runId: string): Promise<NodeExecutionRecord[]> {
    this.#checkOpen()
    return this.#nodesOf(runId)
      .sort((a, b) => compareBytes(a.nodeId, b.nodeId))
      .map((node) => structuredClone(node))
  }

  async listEvents(runId: string, afterSeq = 0, limit = 1000): Promise<RunEvent[]> {
    this.#checkOpen()
    const events = this.#events.get(runId) ?? []
    return structuredClone(events.filter((event) => event.seq > afterSeq).slice(0, Math.max(0, limit)))
  }

  async usageSummary(query: UsageQuery): Promise<UsageSummary> {
    this.#checkOpen()
    checkPeriod(query)
    return summarizeUsage(
      query,
      [...this.#runs.values()].map(({ run }) => run),
      (runId) => this.#nodesOf(runId),
      (workflowId, orgId) => copyIfInOrg(this.#workflows.get(workflowId), orgId)?.name,
    )
  }

  async getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    this.#checkOpen()
    const found = new Map<string, Record<string, unknown>>()
    for (const key of keys) {
      const outputs = this.#cache.get(cacheKey(orgId, key))
      if (outputs) found.set(key, structuredClone(outputs))
    }
    return found
  }

  async upsertAsset(asset: AssetRecord): Promise<AssetRecord> {
    this.#checkOpen()
    for (const existing of this.#assets.values()) {
      if (existing.orgId === asset.orgId && existing.sha256 === asset.sha256 && existing.mime === asset.mime) {
        return structuredClone(existing)
      }
    }
    if (this.#assets.has(asset.assetId)) throw new Error(`asset ${asset.assetId} already exists`)
    const stored = storedAsset(asset)
    this.#assets.set(asset.assetId, stored)
    return structuredClone(stored)
  }

  async getAsset(orgId: string, id: string): Promise<AssetRecord | undefined> {
    this.#checkOpen()
    return copyIfInOrg(this.#assets.get(id), orgId)
  }

  async listAssets(query: ListAssetsQuery): Promise<Page<AssetRecord>> {
    this.#checkOpen()
    checkPage(query)
    const matching = [...this.#assets.values()].filter(
      (asset) =>
        asset.orgId === query.orgId &&
        (query.kind === undefined || asset.kind === query.kind) &&
        (query.search === undefined || (asset.name !== null && nameContains(asset.name, query.search))),
    )
    return pageOf(matching, (a, b) => newestFirst(a.createdAt, a.assetId, b.createdAt, b.assetId), query)
  }

  async deleteAsset(orgId: string, id: string): Promise<AssetRecord | undefined> {
    this.#checkOpen()
    const asset = copyIfInOrg(this.#assets.get(id), orgId)
    if (asset) this.#assets.delete(id)
    return asset
  }

  async isStorageKeyUsed(storageKey: string): Promise<boolean> {
    this.#checkOpen()
    for (const asset of this.#assets.values()) if (asset.storageKey === storageKey) return true
    return false
  }

  async ping(): Promise<void> {
    this.#checkOpen()
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  /** What the SQL schema's keys, references and checks would refuse. */
  #check(batch: PreparedBatch): void {
    const runIds = new Set(batch.runs.map((run) => run.id))
    const runExists = (id: string) => runIds.has(id) || this.#runs.has(id)
    for (const run of batch.runs) {
      if (!runStatuses.includes(run.status)) throw new Error(`run ${run.id} has an unknown status ${run.status}`)
      if (!this.#versions.has(run.versionId)) throw new NotFoundError('version', run.versionId)
      if (run.workflowId !== null && !this.#workflows.has(run.workflowId)) {
        throw new NotFoundError('workflow', run.workflowId)
      }
    }
    for (const runId of batch.eventCounts.keys()) {
      if (!runExists(runId)) throw new NotFoundError('run', runId)
    }
    for (const node of batch.nodes) {
      if (!runExists(node.runId)) throw new NotFoundError('run', node.runId)
      if (!nodeStatuses.includes(node.status)) {
        throw new Error(`node ${node.nodeId} has an unknown status ${node.status}`)
      }
    }
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error('the store is closed')
  }

  /** The stored rows of a run's node executions (not copies). */
  #nodesOf(runId: string): NodeExecutionRecord[] {
    return [...(this.#nodes.get(runId)?.values() ?? [])]
  }
}

/** Sorts, slices and copies, as the SQL stores' `order by … limit … offset` and `count(*)` do. */
function pageOf<T>(matching: T[], compare: (a: T, b: T) => number, page: PageQuery): Page<T> {
  const items = matching.sort(compare).slice(page.offset, page.offset + page.limit)
  return { items: structuredClone(items), total: matching.length }
}

/** Later times first, then ids in descending byte order. */
function newestFirst(aTime: Date, aId: string, bTime: Date, bId: string): number {
  return bTime.getTime() - aTime.getTime() || compareBytes(bId, aId)
}

/** What `name ilike '%search%'` matches (ignoring locale subtleties of case folding). */
function nameContains(name: string, search: string | undefined): boolean {
  return search === undefined || name.toLowerCase().includes(search.toLowerCase())
}

function copyIfInOrg<T extends { orgId: string }>(record: T | undefined, orgId: string): T | undefined {
  return record && record.orgId === orgId ? structuredClone(record) : undefined
}

// Stored copies hold exactly the fields a SQL row has, with JSON as `jsonb` returns it.

function storedRun(run: RunRecord): RunRecord {
  return {
    id: run.id,
    orgId: run.orgId,
    workflowId: run.workflowId,
    versionId: run.versionId,
    status: run.status,
    inputs: asStoredJson(run.inputs),
    scope: asStoredJson(run.scope),
    outputs: asStoredJson(run.outputs),
    error: asStoredJson(run.error),
    createdAt: new Date(run.createdAt),
    startedAt: copyDate(run.startedAt),
    finishedAt: copyDate(run.finishedAt),
    cost: run.cost,
  }
}

function storedNode(node: NodeExecutionRecord): NodeExecutionRecord {
  return {
    runId: node.runId,
    nodeId: node.nodeId,
    nodeType: node.nodeType,
    status: node.status,
    attempt: node.attempt,
    cacheKey: node.cacheKey,
    params: asStoredJson(node.params),
    inputs: asStoredJson(node.inputs),
    outputs: asStoredJson(node.outputs),
    error: asStoredJson(node.error),
    skipReason: node.skipReason,
    queuedAt: copyDate(node.queuedAt),
    startedAt: copyDate(node.startedAt),
    finishedAt: copyDate(node.finishedAt),
    notBefore: copyDate(node.notBefore),
    cost: node.cost,
  }
}

function storedAsset(asset: AssetRecord): AssetRecord {
  return {
    assetId: asset.assetId,
    orgId: asset.orgId,
    kind: asset.kind,
    mime: asset.mime,
    bytes: asset.bytes,
    sha256: asset.sha256,
    ...(asset.width === undefined ? {} : { width: asset.width }),
    ...(asset.height === undefined ? {} : { height: asset.height }),
    ...(asset.durationMs === undefined ? {} : { durationMs: asset.durationMs }),
    storageKey: asset.storageKey,
    name: asset.name,
    createdAt: new Date(asset.createdAt),
  }
}

function copyDate(date: Date | null): Date | null {
  return date === null ? null : new Date(date)
}

function cacheKey(orgId: string, key: string): string {
  return `${orgId}\u0000${key}`
}
