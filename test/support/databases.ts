import { randomUUID } from 'node:crypto'
import { postgresSuiteEnabled, postgresUrlForTests } from '@patchbay/db/testing'
import pg from 'pg'

export interface TestDatabase {
  /** `postgres://…` for PostgreSQL; undefined means embedded PGlite in the data directory. */
  url: string | undefined
  drop(): Promise<void>
}

export interface DatabaseTarget {
  name: 'PGlite' | 'PostgreSQL'
  create(): Promise<TestDatabase>
}

/**
 * The databases a process-level test runs against: PGlite always, PostgreSQL when reachable
 * (skipped with a message otherwise, or failing under PATCHBAY_TEST_REQUIRE_ALL=1).
 */
export async function databaseTargets(suite: string): Promise<DatabaseTarget[]> {
  const targets: DatabaseTarget[] = [{ name: 'PGlite', create: async () => ({ url: undefined, drop: async () => {} }) }]
  if (await postgresSuiteEnabled(`${suite} (PostgreSQL)`))
    targets.push({ name: 'PostgreSQL', create: createPostgresDatabase })
  return targets
}

/** A new, empty PostgreSQL database; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const admin = postgresUrlForTests()
  const name = `patchbay_it_${process.pid}_${randomUUID().replaceAll('-', '').slice(0, 10)}`
  await withClient(admin, (client) => client.query(`create database "${name}" template template0`))
  const url = new URL(admin)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () =>
      withClient(admin, (client) => client.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  }
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await use(client)
  } finally {
    await client.end()
  }
}
