import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import { migrationsFolder } from '../migrations.ts'
import { SqlStore } from '../sql/sql-store.ts'
import type { Store } from '../store.ts'

export interface PgliteStoreOptions {
  /** Directory holding the database files; omitted, the database lives in memory. */
  dataDir?: string
  /** Starts from a `dumpDataDir()` tarball instead of an empty database. */
  loadDataDir?: Blob | File
}

/**
 * Opens (creating and migrating as needed) an embedded PostgreSQL. PGlite is a single
 * connection and queues every query and transaction behind the running one, so concurrent
 * commits are serialized rather than interleaved.
 */
export async function openPgliteStore(options: PgliteStoreOptions = {}): Promise<Store> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true })
  const client = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
  })
  try {
    const db = drizzle({ client })
    await migrate(db, { migrationsFolder })
    return new SqlStore('pglite', db, async () => {
      if (!client.closed) await client.close()
    })
  } catch (error) {
    await client.close()
    throw error
  }
}
