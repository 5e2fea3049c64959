import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPostgresUrl, openStore } from './open-store.ts'
import { postgresSuiteEnabled } from './testing/postgres-for-tests.ts'
import { createTestDatabase } from './testing/test-store.ts'

const withPostgres = await postgresSuiteEnabled('openStore (postgres)')

describe('openStore', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchbay-open-'))
  })
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('recognises PostgreSQL URLs', () => {
    expect(isPostgresUrl('postgres://u@h:5432/db')).toBe(true)
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true)
    expect(isPostgresUrl('POSTGRES://u@h/db')).toBe(true)
    expect(isPostgresUrl('file:./data')).toBe(false)
    expect(isPostgresUrl('')).toBe(false)
  })

  it('opens PGlite in <dataDir>/db without a PostgreSQL URL', async () => {
    const store = await openStore({ databaseUrl: undefined, dataDir })
    try {
      expect(store.kind).toBe('pglite')
      expect(await readdir(join(dataDir, 'db'))).toContain('PG_VERSION')
    } finally {
      await store.close()
    }
  })
})

describe.skipIf(!withPostgres)('openStore (postgres)', () => {
  it('opens PostgreSQL for a postgres:// URL, migrating once however many open at the same time', async () => {
    const database = await createTestDatabase()
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl: database.url, dataDir: '.' })))
      expect(stores.map((store) => store.kind)).toEqual(['postgres', 'postgres', 'postgres'])
      const version = await stores[0]!.saveVersion({
        id: 'v',
        orgId: 'org',
        workflowId: null,
        document: { schemaVersion: 1, name: 'x', inputs: {}, nodes: [], edges: [] },
      })
      expect(await stores[2]!.getVersion('org', 'v')).toEqual(version)
      await Promise.all(stores.map((store) => store.close()))
    } finally {
      await database.drop()
    }
  })
})
