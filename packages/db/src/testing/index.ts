export { isPostgresReachable, postgresSuiteEnabled, postgresUrlForTests } from './postgres-for-tests.ts'
export type { TestStore } from './test-store.ts'
export { createTestStore } from './test-store.ts'
