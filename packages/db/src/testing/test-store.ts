import { randomUUID } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import pg from 'pg'
import { MemoryStore } from '../memory/memory-store.ts'
import { migrationsFolder } from '../migrations.ts'
import { openPgliteStore } from '../pglite/pglite-store.ts'
import { openPostgresStore } from '../postgres/postgres-store.ts'
import type { Store } from '../store.ts'
import { postgresUrlForTests } from './postgres-for-tests.ts'

/** A store of its own for one test; `close()` also throws its database away. */
export interface TestStore {
  store: Store
  close(): Promise<void>
}

/**
 * A fresh, empty, migrated store. PGlite copies an in-memory database migrated once per process
 * (a fresh one takes seconds to initialise); PostgreSQL gets a new database, dropped on close,
 * so test files can run in parallel.
 *
 * @example
 * let t: TestStore
 * beforeEach(async () => { t = await createTestStore('pglite') })
 * afterEach(() => t.close())
 */
export async function createTestStore(kind: Store['kind']): Promise<TestStore> {
  switch (kind) {
    case 'memory': {
      const store = new MemoryStore()
      return { store, close: () => store.close() }
    }
    case 'pglite': {
      const store = await openPgliteStore({ loadDataDir: await migratedPgliteImage() })
      return { store, close: () => store.close() }
    }
    case 'postgres':
      return await createPostgresTestStore()
  }
}

let pgliteImage: Promise<Blob> | undefined

function migratedPgliteImage(): Promise<Blob> {
  if (!pgliteImage) {
    pgliteImage = buildPgliteImage()
    // A failure should not stick: the next test tries again.
    pgliteImage.catch(() => {
      pgliteImage = undefined
    })
  }
  return pgliteImage
}

async function buildPgliteImage(): Promise<Blob> {
  const client = await PGlite.create()
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
    return await client.dumpDataDir('none')
  } finally {
    await client.close()
  }
}

async function createPostgresTestStore(): Promise<TestStore> {
  const database = await createTestDatabase()
  let store: Store
  try {
    store = await openPostgresStore({ url: database.url })
  } catch (error) {
    await database.drop()
    throw error
  }
  return {
    store,
    close: async () => {
      await store.close()
      await database.drop()
    },
  }
}

/** An empty PostgreSQL database of its own (on the server of {@link postgresUrlForTests}). */
export interface TestDatabase {
  url: string
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>
}

/** Creates an empty, uniquely named database, for tests that open stores or connections themselves. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = postgresUrlForTests()
  const name = `patchbay_test_${process.pid}_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  await withAdmin(adminUrl, (admin) => admin.query(`create database "${name}" template template0`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => dropDatabase(adminUrl, name) }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists "${name}" with (force)`))
}

async function withAdmin<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}
