import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { migrationsFolder } from '../migrations.ts'
import { SqlStore } from '../sql/sql-store.ts'
import type { Store } from '../store.ts'

export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database` */
  url: string
  /** Most connections the pool opens (default 10). */
  maxConnections?: number
}

/** Connections opened before the store is handed out and kept open while idle (fewer when the pool is smaller). */
const warmConnections = 4

// Any fixed number, the same in every process, so that servers starting together migrate one at a time.
const migrationLockId = 0x7061_7463

/** Connects to PostgreSQL and applies pending migrations. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  // A pool whose connections are all stuck fails a new query after 10 s instead of waiting
  // forever, so callers (a sweep, a node task) fail and are tried again later.
  const max = options.maxConnections ?? 10
  const pool = new pg.Pool({
    connectionString: options.url,
    max,
    // Kept open while idle, so a burst after a quiet spell (or right after start) finds
    // connections instead of opening them all at once.
    min: Math.min(warmConnections, max),
    connectionTimeoutMillis: 10_000,
  })
  // An idle connection that dies (server restart, dropped database) is discarded by the pool and
  // replaced on the next query; without a listener its 'error' event would crash the process.
  pool.on('error', () => {})
  // A connection that dies while checked out (failover, pg_terminate_backend) fails its query,
  // which the caller sees; the client's own 'error' event must not also crash the process.
  pool.on('connect', (client) => client.on('error', () => {}))
  try {
    await migrateLocked(pool)
    await warm(pool, Math.min(warmConnections, max))
  } catch (error) {
    await pool.end()
    throw error
  }
  let closed = false
  return new SqlStore('postgres', withOwnedTransactions(drizzle({ client: pool }), pool), async () => {
    if (closed) return
    closed = true
    await pool.end()
  })
}

/** Opens `count` connections at once and returns them to the pool, where `min` keeps them. */
async function warm(pool: pg.Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()))
  for (const client of clients) client.release()
}

async function migrateLocked(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('select pg_advisory_lock($1)', [migrationLockId])
    try {
      await migrate(drizzle({ client }), { migrationsFolder })
    } finally {
      await client.query('select pg_advisory_unlock($1)', [migrationLockId])
    }
  } finally {
    client.release()
  }
}

/**
 * drizzle's pooled `transaction()` sends BEGIN before the `try` that releases its client, so a
 * BEGIN on a connection that just died (a failover, `pg_terminate_backend`) leaks that client
 * for good; a few such failures exhaust the pool and hang `close()` (drizzle-orm#6241, open).
 * Here the store checks the client out itself, always releases it, and discards it after a
 * failed transaction, whose connection may be dead or mid-statement.
 */
function withOwnedTransactions<Db extends NodePgDatabase>(db: Db, pool: pg.Pool): Db {
  db.transaction = async (work, config) => {
    const client = await pool.connect()
    let failure: Error | undefined
    try {
      return await drizzle({ client }).transaction(work, config)
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error))
      throw error
    } finally {
      client.release(failure)
    }
  }
  return db
}
