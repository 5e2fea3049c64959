export { isPostgresReachable, postgresSuiteEnabled, postgresUrlForTests } from './postgres-for-tests.ts'
export type { TestDatabase, TestStore } from './test-store.ts'
export { createTestDatabase, createTestStore } from './test-store.ts'
