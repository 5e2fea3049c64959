import type { RunEvent } from '@patchbay/core'
import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { numberEvents, type PreparedBatch } from '../batch.ts'
import { fromEventRow } from '../event-rows.ts'
import { nodeCache, nodeExecutions, runEvents, runs } from '../schema.ts'
import { arrayParam } from './array-param.ts'
import type { SqlDatabase } from './database.ts'
import { insertRows } from './insert-rows.ts'

/**
 * Writes a prepared batch inside the caller's transaction, one statement per table. Row locks
 * are always taken in the same order (runs sorted by id, then nodes, then cache entries) so that
 * concurrent commits on PostgreSQL wait for each other instead of deadlocking.
 */
export async function commitBatch(tx: SqlDatabase, batch: PreparedBatch): Promise<RunEvent[]> {
  if (batch.runIds.length > 1) await lockRuns(tx, batch.runIds)
  if (batch.runs.length > 0) {
    await tx.execute(sql`${insertRows(runs, runKeys, batch.runs)} on conflict (id) do update set ${runUpdate}`)
  }
  const lastSeqs = await reserveSeqs(tx, batch.eventCounts)
  if (batch.nodes.length > 0) {
    await tx.execute(
      sql`${insertRows(nodeExecutions, nodeKeys, batch.nodes)} on conflict (run_id, node_id) do update set ${nodeUpdate}`,
    )
  }
  const eventRows = numberEvents(batch, lastSeqs)
  if (eventRows.length > 0) await tx.execute(insertRows(runEvents, eventKeys, eventRows))
  if (batch.cache.length > 0) {
    const rows = batch.cache.map((entry) => ({ ...entry, cacheKey: entry.key }))
    await tx.execute(
      sql`${insertRows(nodeCache, cacheKeys, rows)} on conflict (org_id, cache_key) do update set ${cacheUpdate}`,
    )
  }
  return eventRows.map(fromEventRow)
}

const runKeys = [
  'id',
  'orgId',
  'workflowId',
  'versionId',
  'status',
  'inputs',
  'scope',
  'outputs',
  'error',
  'createdAt',
  'startedAt',
  'finishedAt',
  'cost',
] as const
const nodeKeys = Object.keys(getTableColumns(nodeExecutions)) as (keyof typeof nodeExecutions.$inferInsert)[]
const eventKeys = Object.keys(getTableColumns(runEvents)) as (keyof typeof runEvents.$inferInsert)[]
const cacheKeys = ['orgId', 'cacheKey', 'nodeType', 'outputs'] as const

// An existing run keeps its organisation, creation time, creator and (above all) its last_seq.
const runUpdate = setFromExcluded(runs, [
  'workflowId',
  'versionId',
  'status',
  'inputs',
  'scope',
  'outputs',
  'error',
  'startedAt',
  'finishedAt',
  'cost',
])
const nodeUpdate = setFromExcluded(
  nodeExecutions,
  nodeKeys.filter((key) => key !== 'runId' && key !== 'nodeId'),
)
const cacheUpdate = sql`${setFromExcluded(nodeCache, ['nodeType', 'outputs'])}, created_at = now()`

/** `column = excluded.column, …` for the given columns. */
function setFromExcluded<TTable extends PgTable>(
  table: TTable,
  keys: readonly (keyof TTable['$inferInsert'] & string)[],
): SQL {
  const columns = getTableColumns(table)
  return sql.raw(
    keys
      .map((key) => {
        const name = `"${columns[key]!.name}"`
        return `${name} = excluded.${name}`
      })
      .join(', '),
  )
}

/** Locks the batch's existing runs in id order before anything else touches them. */
async function lockRuns(tx: SqlDatabase, runIds: readonly string[]): Promise<void> {
  await tx
    .select({ id: runs.id })
    .from(runs)
    .where(sql`${runs.id} in (select unnest(${arrayParam(runIds, 'text')}))`)
    .orderBy(runs.id)
    .for('no key update')
}

/**
 * Bumps `last_seq` of each run by its number of events and returns the new values. The
 * UPDATE's row lock is what keeps concurrent commits to one run from sharing numbers.
 */
async function reserveSeqs(tx: SqlDatabase, counts: ReadonlyMap<string, number>): Promise<Map<string, number>> {
  if (counts.size === 0) return new Map()
  const ids = arrayParam([...counts.keys()], 'text')
  const increments = arrayParam([...counts.values()].map(String), 'integer')
  const updated = await tx
    .update(runs)
    .set({ lastSeq: sql`${runs.lastSeq} + v.n` })
    .from(sql`unnest(${ids}, ${increments}) as v(id, n)`)
    .where(sql`${runs.id} = v.id`)
    .returning({ id: runs.id, lastSeq: runs.lastSeq })
  return new Map(updated.map((row) => [row.id, row.lastSeq]))
}
