import { nodeStatuses, runStatuses } from '@patchbay/core'
import { type SQL, sql } from 'drizzle-orm'
import {
  bigint,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core'

// The single source of truth for the SQL schema: `npm run db:generate` turns changes here into
// a migration under packages/db/drizzle/. Record types live in store.ts; rows map to them in sql/rows.ts.

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

function oneOf(column: string, values: readonly string[]): SQL {
  return sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(', ')})`)
}

/** Saved workflow documents (the editable head; history lives in `workflow_versions`). */
export const workflows = pgTable(
  'workflows',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    name: text('name').notNull(),
    document: jsonb('document').notNull(),
    revision: integer('revision').notNull().default(1),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [index('workflows_org_idx').on(table.orgId)],
)

/** Immutable documents, deduplicated by content hash within an organisation. */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    workflowId: text('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    hash: text('hash').notNull(),
    document: jsonb('document').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [unique('workflow_versions_org_hash_unique').on(table.orgId, table.hash)],
)

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    workflowId: text('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    versionId: text('version_id')
      .notNull()
      .references(() => workflowVersions.id),
    status: text('status').notNull(),
    inputs: jsonb('inputs').notNull(),
    scope: jsonb('scope'),
    outputs: jsonb('outputs'),
    error: jsonb('error'),
    createdAt: time('created_at').notNull(),
    startedAt: time('started_at'),
    finishedAt: time('finished_at'),
    /** US dollars spent by the run's model calls with known prices; set when it finishes. */
    cost: doublePrecision('cost'),
    /** Highest event `seq` handed out; bumped in the committing transaction, never by run upserts. */
    lastSeq: integer('last_seq').notNull().default(0),
    /** The user who started the run, once users exist. */
    createdBy: text('created_by'),
  },
  (table) => [
    check('runs_status_check', oneOf('status', runStatuses)),
    index('runs_org_created_idx').on(table.orgId, table.createdAt),
    index('runs_unfinished_idx').on(table.status).where(sql`status in ('queued', 'running')`),
  ],
)

export const nodeExecutions = pgTable(
  'node_executions',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    nodeId: text('node_id').notNull(),
    nodeType: text('node_type').notNull(),
    status: text('status').notNull(),
    attempt: integer('attempt').notNull().default(0),
    cacheKey: text('cache_key'),
    params: jsonb('params'),
    inputs: jsonb('inputs'),
    outputs: jsonb('outputs'),
    error: jsonb('error'),
    skipReason: text('skip_reason'),
    queuedAt: time('queued_at'),
    startedAt: time('started_at'),
    finishedAt: time('finished_at'),
    notBefore: time('not_before'),
    cost: doublePrecision('cost'),
  },
  (table) => [
    primaryKey({ columns: [table.runId, table.nodeId] }),
    check('node_executions_status_check', oneOf('status', nodeStatuses)),
    index('node_executions_status_idx').on(table.status, table.notBefore),
  ],
)

export const runEvents = pgTable(
  'run_events',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    nodeId: text('node_id'),
    time: time('time').notNull(),
    /** The event body without `type` and `nodeId`, which have their own columns. */
    payload: jsonb('payload').notNull(),
  },
  (table) => [primaryKey({ columns: [table.runId, table.seq] })],
)

export const assets = pgTable(
  'assets',
  {
    /** `AssetRef.assetId`. */
    assetId: text('id').primaryKey(),
    orgId: text('org_id').notNull(),
    kind: text('kind').notNull(),
    mime: text('mime').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    durationMs: doublePrecision('duration_ms'),
    storageKey: text('storage_key').notNull(),
    name: text('name'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [unique('assets_org_sha256_mime_unique').on(table.orgId, table.sha256, table.mime)],
)

export const nodeCache = pgTable(
  'node_cache',
  {
    orgId: text('org_id').notNull(),
    cacheKey: text('cache_key').notNull(),
    nodeType: text('node_type').notNull(),
    outputs: jsonb('outputs').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.cacheKey] })],
)
