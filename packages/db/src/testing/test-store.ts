import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
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

/**
 * The migrated image, built once per machine and kept under node_modules/.cache (keyed by the
 * migrations and the PGlite version): initialising and migrating takes ~10 s, loading ~1 s,
 * and every test file of every worker would otherwise pay the former.
 */
async function buildPgliteImage(): Promise<Blob> {
  const file = await imageCacheFile()
  try {
    return new Blob([await readFile(file)])
  } catch {
    // Not built yet on this machine.
  }
  const client = await PGlite.create()
  let image: Blob
  try {
    await migrate(drizzle({ client }), { migrationsFolder })
    image = await client.dumpDataDir('none')
  } finally {
    await client.close()
  }
  try {
    await mkdir(dirname(file), { recursive: true })
    const partial = `${file}.${process.pid}.${randomUUID()}`
    await writeFile(partial, new Uint8Array(await image.arrayBuffer()))
    await rename(partial, file)
  } catch {
    // A read-only checkout still works, just slower.
  }
  return image
}

async function imageCacheFile(): Promise<string> {
  const hash = createHash('sha256')
  let pgliteDir = dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'))
  while (basename(pgliteDir) !== 'pglite' && dirname(pgliteDir) !== pgliteDir) pgliteDir = dirname(pgliteDir)
  hash.update(await readFile(join(pgliteDir, 'package.json')))
  for (const name of (await readdir(migrationsFolder, { recursive: true })).sort()) {
    const path = join(migrationsFolder, name)
    if ((await stat(path)).isFile()) hash.update(name).update(await readFile(path))
  }
  // <node_modules>/@electric-sql/pglite → <node_modules>/.cache
  return join(dirname(dirname(pgliteDir)), '.cache', 'patchbay', `pglite-${hash.digest('hex').slice(0, 16)}.tar`)
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
