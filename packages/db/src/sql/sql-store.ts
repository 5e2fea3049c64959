import type { RunEvent, Workflow } from '@patchbay/core'
import { and, asc, desc, eq, gt, ilike, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { isEmptyBatch, prepareBatch } from '../batch.ts'
import { fromEventRow } from '../event-rows.ts'
import { documentHash } from '../hash.ts'
import { checkPage } from '../page.ts'
import { assets, nodeCache, nodeExecutions, runEvents, runs, workflows, workflowVersions } from '../schema.ts'
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
import type { UsageQuery, UsageSummary } from '../usage.ts'
import { arrayParam } from './array-param.ts'
import { commitBatch } from './commit-batch.ts'
import type { SqlDatabase } from './database.ts'
import { byCodePoint } from './order.ts'
import { toAssetRecord, toNodeRecord, toRunRecord, toVersionRecord, toWorkflowRecord } from './rows.ts'
import { usageSummary } from './usage-summary.ts'

/**
 * The {@link Store} on SQL, shared by the PGlite and PostgreSQL siblings: they differ only in
 * how they connect, migrate and close.
 */
export class SqlStore implements Store {
  readonly kind: 'pglite' | 'postgres'
  readonly #db: SqlDatabase
  readonly #close: () => Promise<void>

  constructor(kind: 'pglite' | 'postgres', db: SqlDatabase, close: () => Promise<void>) {
    this.kind = kind
    this.#db = db
    this.#close = close
  }

  /** The drizzle database, for what shares it: the accounts, the auth library's adapter. */
  get database(): SqlDatabase {
    return this.#db
  }

  async createWorkflow(args: { id: string; orgId: string; document: Workflow }): Promise<WorkflowRecord> {
    const [row] = await this.#db
      .insert(workflows)
      .values({ id: args.id, orgId: args.orgId, name: args.document.name, document: args.document })
      .returning()
    return toWorkflowRecord(row!)
  }

  async getWorkflow(orgId: string, id: string): Promise<WorkflowRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(workflows)
      .where(and(eq(workflows.orgId, orgId), eq(workflows.id, id)))
    return row && toWorkflowRecord(row)
  }

  async listWorkflows(query: ListWorkflowsQuery): Promise<Page<WorkflowRecord>> {
    checkPage(query)
    const where = and(
      eq(workflows.orgId, query.orgId),
      query.search === undefined ? undefined : ilike(workflows.name, containsPattern(query.search)),
    )
    const newestFirst = [desc(workflows.updatedAt), desc(byCodePoint(workflows.id))]
    return await this.#page(workflows, where, newestFirst, query, toWorkflowRecord)
  }

  async updateWorkflow(args: {
    orgId: string
    id: string
    document: Workflow
    expectedRevision: number
  }): Promise<UpdateWorkflowResult> {
    // One statement, so two writers holding the same revision cannot both succeed.
    const [row] = await this.#db
      .update(workflows)
      .set({
        document: args.document,
        name: args.document.name,
        revision: sql`${workflows.revision} + 1`,
        updatedAt: sql`now()`,
      })
      .where(
        and(eq(workflows.orgId, args.orgId), eq(workflows.id, args.id), eq(workflows.revision, args.expectedRevision)),
      )
      .returning()
    if (row) return { status: 'updated', workflow: toWorkflowRecord(row) }
    const current = await this.getWorkflow(args.orgId, args.id)
    return current ? { status: 'conflict', workflow: current } : { status: 'missing' }
  }

  async deleteWorkflow(orgId: string, id: string): Promise<boolean> {
    const deleted = await this.#db
      .delete(workflows)
      .where(and(eq(workflows.orgId, orgId), eq(workflows.id, id)))
      .returning({ id: workflows.id })
    return deleted.length > 0
  }

  async saveVersion(args: {
    id: string
    orgId: string
    workflowId: string | null
    document: Workflow
  }): Promise<WorkflowVersionRecord> {
    const hash = documentHash(args.document)
    const [inserted] = await this.#db
      .insert(workflowVersions)
      .values({ ...args, hash })
      .onConflictDoNothing({ target: [workflowVersions.orgId, workflowVersions.hash] })
      .returning()
    if (inserted) return toVersionRecord(inserted)
    const [existing] = await this.#db
      .select()
      .from(workflowVersions)
      .where(and(eq(workflowVersions.orgId, args.orgId), eq(workflowVersions.hash, hash)))
    return toVersionRecord(existing!)
  }

  async getVersion(orgId: string, id: string): Promise<WorkflowVersionRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(workflowVersions)
      .where(and(eq(workflowVersions.orgId, orgId), eq(workflowVersions.id, id)))
    return row && toVersionRecord(row)
  }

  async listVersions(orgId: string, workflowId: string, page: PageQuery): Promise<Page<WorkflowVersionRecord>> {
    checkPage(page)
    const where = and(eq(workflowVersions.orgId, orgId), eq(workflowVersions.workflowId, workflowId))
    const newestFirst = [desc(workflowVersions.createdAt), desc(byCodePoint(workflowVersions.id))]
    return await this.#page(workflowVersions, where, newestFirst, page, toVersionRecord)
  }

  async commit(batch: TransitionBatch): Promise<RunEvent[]> {
    const prepared = prepareBatch(batch)
    if (isEmptyBatch(prepared)) return []
    return await this.#db.transaction((tx) => commitBatch(tx, prepared))
  }

  async withRunLock<T>(runId: string, work: (locked: LockedRun) => Promise<T>): Promise<T | undefined> {
    return await this.#db.transaction(async (tx) => {
      const [row] = await tx.select().from(runs).where(eq(runs.id, runId)).for('no key update')
      if (!row) return undefined
      const nodeRows = await tx.select().from(nodeExecutions).where(eq(nodeExecutions.runId, runId))
      return await work({
        run: toRunRecord(row),
        nodes: nodeRows.map(toNodeRecord),
        getCached: (orgId, keys) => selectCached(tx, orgId, keys),
        commit: async (batch) => {
          const prepared = prepareBatch(batch)
          return isEmptyBatch(prepared) ? [] : await commitBatch(tx, prepared)
        },
      })
    })
  }

  async getRun(orgId: string, id: string): Promise<RunRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(runs)
      .where(and(eq(runs.orgId, orgId), eq(runs.id, id)))
    return row && toRunRecord(row)
  }

  async listRuns(query: ListRunsQuery): Promise<Page<RunRecord>> {
    checkPage(query)
    const where = and(
      eq(runs.orgId, query.orgId),
      query.workflowId === undefined ? undefined : eq(runs.workflowId, query.workflowId),
      query.status === undefined ? undefined : eq(runs.status, query.status),
    )
    const newestFirst = [desc(runs.createdAt), desc(byCodePoint(runs.id))]
    return await this.#page(runs, where, newestFirst, query, toRunRecord)
  }

  async listStalledWork(before: Date, limit: number): Promise<{ nodes: NodeExecutionRecord[]; idleRunIds: string[] }> {
    const nodeRows = await this.#db
      .select({ node: nodeExecutions })
      .from(nodeExecutions)
      .innerJoin(runs, eq(runs.id, nodeExecutions.runId))
      .where(
        and(
          eq(runs.status, 'running'),
          sql`((${nodeExecutions.status} = 'running' and ${nodeExecutions.startedAt} < ${before})
            or (${nodeExecutions.status} = 'queued'
              and greatest(${nodeExecutions.queuedAt}, coalesce(${nodeExecutions.notBefore}, ${nodeExecutions.queuedAt})) < ${before}))`,
        ),
      )
      .limit(limit)
    const idle = await this.#db
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(
          eq(runs.status, 'running'),
          sql`${runs.startedAt} < ${before}`,
          sql`not exists (select 1 from ${nodeExecutions} where ${nodeExecutions.runId} = ${runs.id}
            and ${nodeExecutions.status} in ('queued', 'running'))`,
        ),
      )
      .limit(limit)
    return { nodes: nodeRows.map((row) => toNodeRecord(row.node)), idleRunIds: idle.map((row) => row.id) }
  }

  async listUnfinishedRuns(): Promise<RunRecord[]> {
    const rows = await this.#db
      .select()
      .from(runs)
      .where(sql`${runs.status} in ('queued', 'running')`)
      .orderBy(asc(runs.createdAt), byCodePoint(runs.id))
    return rows.map(toRunRecord)
  }

  async listNodeExecutions(runId: string): Promise<NodeExecutionRecord[]> {
    const rows = await this.#db
      .select()
      .from(nodeExecutions)
      .where(eq(nodeExecutions.runId, runId))
      .orderBy(byCodePoint(nodeExecutions.nodeId))
    return rows.map(toNodeRecord)
  }

  async listEvents(runId: string, afterSeq = 0, limit = 1000): Promise<RunEvent[]> {
    const rows = await this.#db
      .select()
      .from(runEvents)
      .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
      .orderBy(asc(runEvents.seq))
      .limit(limit)
    return rows.map((row) => fromEventRow({ ...row, payload: row.payload as Record<string, unknown> }))
  }

  async usageSummary(query: UsageQuery): Promise<UsageSummary> {
    return await usageSummary(this.#db, query)
  }

  async getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    return await selectCached(this.#db, orgId, keys)
  }

  async upsertAsset(asset: AssetRecord): Promise<AssetRecord> {
    const [inserted] = await this.#db
      .insert(assets)
      .values(asset)
      .onConflictDoNothing({ target: [assets.orgId, assets.sha256, assets.mime] })
      .returning()
    if (inserted) return toAssetRecord(inserted)
    const [existing] = await this.#db
      .select()
      .from(assets)
      .where(and(eq(assets.orgId, asset.orgId), eq(assets.sha256, asset.sha256), eq(assets.mime, asset.mime)))
    return toAssetRecord(existing!)
  }

  async getAsset(orgId: string, id: string): Promise<AssetRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(assets)
      .where(and(eq(assets.orgId, orgId), eq(assets.assetId, id)))
    return row && toAssetRecord(row)
  }

  async listAssets(query: ListAssetsQuery): Promise<Page<AssetRecord>> {
    checkPage(query)
    const where = and(
      eq(assets.orgId, query.orgId),
      query.kind === undefined ? undefined : eq(assets.kind, query.kind),
      query.search === undefined ? undefined : ilike(assets.name, containsPattern(query.search)),
    )
    const newestFirst = [desc(assets.createdAt), desc(byCodePoint(assets.assetId))]
    return await this.#page(assets, where, newestFirst, query, toAssetRecord)
  }

  async deleteAsset(orgId: string, id: string): Promise<AssetRecord | undefined> {
    const [row] = await this.#db
      .delete(assets)
      .where(and(eq(assets.orgId, orgId), eq(assets.assetId, id)))
      .returning()
    return row && toAssetRecord(row)
  }

  async isStorageKeyUsed(storageKey: string): Promise<boolean> {
    const rows = await this.#db.select({ one: sql`1` }).from(assets).where(eq(assets.storageKey, storageKey)).limit(1)
    return rows.length > 0
  }

  async ping(): Promise<void> {
    await this.#db.execute(sql`select 1`)
  }

  async close(): Promise<void> {
    await this.#close()
  }

  /** One page of `table` in `order`, and how many rows match in all. */
  async #page<T extends PgTable, R>(
    table: T,
    where: SQL | undefined,
    order: SQL[],
    page: PageQuery,
    toRecord: (row: T['$inferSelect']) => R,
  ): Promise<Page<R>> {
    const [rows, total] = await Promise.all([
      this.#db
        .select()
        .from(table as PgTable)
        .where(where)
        .orderBy(...order)
        .limit(page.limit)
        .offset(page.offset),
      this.#db.$count(table, where),
    ])
    return { items: rows.map((row) => toRecord(row as T['$inferSelect'])), total }
  }
}

/**
 * The drizzle database under a PGlite or PostgreSQL store, for what shares it (the accounts,
 * the auth library's adapter).
 *
 * @throws Error for the memory store, which has none.
 */
export function sqlDatabaseOf(store: Store): SqlDatabase {
  if (store instanceof SqlStore) return store.database
  throw new Error(
    `a ${store.kind} store has no SQL database: accounts and sign-in need PGlite or PostgreSQL (openStore)`,
  )
}

/** `search` as an (I)LIKE pattern matching it anywhere, its wildcards and escape character taken literally. */
function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, '\\$&')}%`
}

async function selectCached(
  db: SqlDatabase,
  orgId: string,
  keys: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  if (keys.length === 0) return new Map()
  const rows = await db
    .select({ key: nodeCache.cacheKey, outputs: nodeCache.outputs })
    .from(nodeCache)
    .where(and(eq(nodeCache.orgId, orgId), sql`${nodeCache.cacheKey} in (select unnest(${arrayParam(keys, 'text')}))`))
  return new Map(rows.map((row) => [row.key, row.outputs as Record<string, unknown>]))
}
