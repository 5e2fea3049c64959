import { createTestDatabase, postgresSuiteEnabled } from '@patchbay/db/testing'

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
    targets.push({ name: 'PostgreSQL', create: createTestDatabase })
  return targets
}
