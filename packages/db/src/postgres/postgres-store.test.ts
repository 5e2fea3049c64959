import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { postgresSuiteEnabled } from '../testing/postgres-for-tests.ts'
import { createTestDatabase, type TestDatabase } from '../testing/test-store.ts'
import { openPostgresStore } from './postgres-store.ts'

const enabled = await postgresSuiteEnabled('PostgreSQL store connections')

describe.skipIf(!enabled)('PostgreSQL store connections', () => {
  let database: TestDatabase

  beforeEach(async () => {
    database = await createTestDatabase()
  })

  afterEach(async () => {
    await database.drop()
  })

  it('keeps its pool whole while its connections are cut during transactions', async () => {
    // One connection only: a single client leaked by a failed transaction would leave the
    // store unable to run anything, and unable to close.
    const store = await openPostgresStore({ url: database.url, maxConnections: 1 })
    let stop = false
    let failures = 0
    const transactions = Array.from({ length: 3 }, async () => {
      while (!stop) {
        await store.withRunLock('run_missing', async () => 'locked').catch(() => failures++)
      }
    })
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    for (let round = 0; round < 40; round++) {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
      )
      await new Promise((resolve) => setTimeout(resolve, 15))
    }
    await admin.end()
    stop = true
    await Promise.all(transactions)

    expect(failures).toBeGreaterThan(0)
    expect(await store.withRunLock('run_missing', async () => 'locked')).toBeUndefined()
    await store.ping()
    await store.close()
  }, 60_000)
})
