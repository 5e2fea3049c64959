import { join } from 'node:path'
import type { Store } from './store.ts'

export interface OpenStoreOptions {
  /** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else, the embedded PGlite. */
  databaseUrl?: string
  /** Patchbay's data directory; PGlite keeps its files in `<dataDir>/db`. */
  dataDir: string
  /** PostgreSQL only: most connections the pool opens (default 10). */
  maxConnections?: number
}

/**
 * Opens the store the configuration asks for and applies pending migrations.
 *
 * @example
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL, dataDir: '.patchbay' })
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  // Imported on demand so that an installation loads only the driver it uses.
  if (options.databaseUrl !== undefined && isPostgresUrl(options.databaseUrl)) {
    const { openPostgresStore } = await import('./postgres/postgres-store.ts')
    return await openPostgresStore({ url: options.databaseUrl, maxConnections: options.maxConnections })
  }
  const { openPgliteStore } = await import('./pglite/pglite-store.ts')
  return await openPgliteStore({ dataDir: join(options.dataDir, 'db') })
}

/** Whether the URL names a PostgreSQL server. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}
