import type { RunEvent, Workflow } from '@patchbay/core'
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import { prepareBatch } from '../batch.ts'
import { fromEventRow } from '../event-rows.ts'
import { documentHash } from '../hash.ts'
import { assets, nodeCache, nodeExecutions, runEvents, runs, workflows, workflowVersions } from '../schema.ts'
import type {
  AssetRecord,
  NodeExecutionRecord,
  RunRecord,
  Store,
  TransitionBatch,
  WorkflowRecord,
  WorkflowVersionRecord,
} from '../store.ts'
import { arrayParam } from './array-param.ts'
import { commitBatch } from './commit-batch.ts'
import type { SqlDatabase } from './database.ts'
import { toAssetRecord, toNodeRecord, toRunRecord, toVersionRecord, toWorkflowRecord } from './rows.ts'

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

  async commit(batch: TransitionBatch): Promise<RunEvent[]> {
    const prepared = prepareBatch(batch)
    if (prepared.runIds.length === 0 && prepared.nodes.length === 0 && prepared.cache.length === 0) return []
    return await this.#db.transaction((tx) => commitBatch(tx, prepared))
  }

  async getRun(orgId: string, id: string): Promise<RunRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(runs)
      .where(and(eq(runs.orgId, orgId), eq(runs.id, id)))
    return row && toRunRecord(row)
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

  async getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (keys.length === 0) return new Map()
    const rows = await this.#db
      .select({ key: nodeCache.cacheKey, outputs: nodeCache.outputs })
      .from(nodeCache)
      .where(
        and(eq(nodeCache.orgId, orgId), sql`${nodeCache.cacheKey} in (select unnest(${arrayParam(keys, 'text')}))`),
      )
    return new Map(rows.map((row) => [row.key, row.outputs as Record<string, unknown>]))
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

  async close(): Promise<void> {
    await this.#close()
  }
}

// Byte order rather than the database's locale, so that every store (and the memory one) agrees.
function byCodePoint(column: typeof runs.id | typeof nodeExecutions.nodeId) {
  return sql`${column} collate "C"`
}
