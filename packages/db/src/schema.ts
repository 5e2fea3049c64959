import { nodeStatuses, runStatuses } from '@patchbay/core'
import { type SQL, sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
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
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import { roles } from './accounts/accounts.ts'

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
  (table) => [index('workflows_org_updated_idx').on(table.orgId, table.updatedAt)],
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
  (table) => [
    unique('workflow_versions_org_hash_unique').on(table.orgId, table.hash),
    index('workflow_versions_org_workflow_created_idx').on(table.orgId, table.workflowId, table.createdAt),
  ],
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
    index('runs_org_workflow_created_idx').on(table.orgId, table.workflowId, table.createdAt),
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
  (table) => [
    unique('assets_org_sha256_mime_unique').on(table.orgId, table.sha256, table.mime),
    index('assets_org_created_idx').on(table.orgId, table.createdAt),
    // Deleting an asset asks whether another record still shares its bytes.
    index('assets_storage_key_idx').on(table.storageKey),
  ],
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

// better-auth's core tables. It addresses columns by property name, so those are its field
// names exactly (`emailVerified`, `expiresAt`, …); it writes every column itself, ids included.
// The adapter is given `authSchema` below, keyed by better-auth's model names.

/** Accounts of people; better-auth creates them, `Accounts` only reads them. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique('users_email_unique'),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  // better-auth lower-cases emails, but a row written otherwise must not make a second account.
  (table) => [uniqueIndex('users_email_lower_unique').on(sql`lower(${table.email})`)],
)

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: time('expires_at').notNull(),
    token: text('token').notNull().unique('sessions_token_unique'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (table) => [index('sessions_user_idx').on(table.userId)],
)

/** Sign-in methods of a user (better-auth's `account` model): the password hash, OAuth tokens. */
export const authAccounts = pgTable(
  'auth_accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: time('access_token_expires_at'),
    refreshTokenExpiresAt: time('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [index('auth_accounts_user_idx').on(table.userId)],
)

export const verifications = pgTable(
  'verifications',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: time('expires_at').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [index('verifications_identifier_idx').on(table.identifier)],
)

/**
 * The tables better-auth's drizzle adapter reads and writes, under its model names.
 *
 * @example
 * betterAuth({ database: drizzleAdapter(sqlDatabaseOf(store), { provider: 'pg', schema: authSchema }) })
 */
export const authSchema = { user: users, session: sessions, account: authAccounts, verification: verifications }

// Organisations and what belongs to them. Older tables (workflows, runs, …) reference no
// organisation row: embedded installations use DEFAULT_ORG_ID without creating one.

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: time('created_at').notNull().defaultNow(),
})

const orgIdColumn = () =>
  text('org_id')
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' })

/** A user who is no more leaves what they created behind, unattributed. */
const userRefColumn = (name: string) => text(name).references(() => users.id, { onDelete: 'set null' })

export const members = pgTable(
  'members',
  {
    orgId: orgIdColumn(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId] }),
    check('members_role_check', oneOf('role', roles)),
    index('members_user_idx').on(table.userId),
  ],
)

export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull().unique('invitations_token_hash_unique'),
    invitedBy: userRefColumn('invited_by'),
    createdAt: time('created_at').notNull().defaultNow(),
    expiresAt: time('expires_at').notNull(),
    acceptedAt: time('accepted_at'),
    acceptedBy: userRefColumn('accepted_by'),
    revokedAt: time('revoked_at'),
  },
  (table) => [check('invitations_role_check', oneOf('role', roles)), index('invitations_org_idx').on(table.orgId)],
)

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    // Unlike other attributions a key dies with its creator: it acts with at most their role
    // (see docs/security.md), and NULL is kept for keys an operator made in local mode.
    createdBy: text('created_by').references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    hash: text('hash').notNull().unique('api_keys_hash_unique'),
    role: text('role').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    lastUsedAt: time('last_used_at'),
    expiresAt: time('expires_at'),
    revokedAt: time('revoked_at'),
  },
  (table) => [check('api_keys_role_check', oneOf('role', roles)), index('api_keys_org_idx').on(table.orgId)],
)

/** The vault: provider keys sealed by a master key the database never sees. */
export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    description: text('description'),
    keyId: text('key_id').notNull(),
    sealed: text('sealed').notNull(),
    createdBy: userRefColumn('created_by'),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (table) => [unique('credentials_org_name_unique').on(table.orgId, table.name)],
)
