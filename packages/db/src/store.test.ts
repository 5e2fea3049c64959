import { describe } from 'vitest'
import { storeContract } from './store.contract.ts'
import { postgresSuiteEnabled } from './testing/postgres-for-tests.ts'
import { createTestStore } from './testing/test-store.ts'

const withPostgres = await postgresSuiteEnabled('Store contract (postgres)')

describe('Store contract (memory)', () => storeContract(() => createTestStore('memory')))
describe('Store contract (pglite)', () => storeContract(() => createTestStore('pglite')))
describe.skipIf(!withPostgres)('Store contract (postgres)', () => storeContract(() => createTestStore('postgres')))
