import { skipSuite } from '@patchbay/core/testing'
import pg from 'pg'

const defaultUrl = 'postgres://postgres@127.0.0.1:5432/test'

/**
 * The PostgreSQL tests connect to: `PATCHBAY_TEST_POSTGRES_URL`, or the project machines' local
 * server. Its user must be allowed to create databases; each test store gets its own.
 */
export function postgresUrlForTests(): string {
  return process.env.PATCHBAY_TEST_POSTGRES_URL || defaultUrl
}

let probe: Promise<string | undefined> | undefined

/** Whether the test PostgreSQL answers (checked once per process). */
export async function isPostgresReachable(): Promise<boolean> {
  return (await unreachableReason()) === undefined
}

/**
 * Decides whether a suite that needs PostgreSQL runs. When the server is unreachable the suite is
 * skipped with a console message saying why, or, with `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), this
 * throws so that the test file fails instead of passing silently.
 *
 * @example
 * const withPostgres = await postgresSuiteEnabled('store contract (postgres)')
 * describe.skipIf(!withPostgres)('store contract (postgres)', () => { ... })
 */
export async function postgresSuiteEnabled(suite: string): Promise<boolean> {
  const reason = await unreachableReason()
  if (reason === undefined) return true
  return skipSuite(
    suite,
    `PostgreSQL at ${redact(postgresUrlForTests())} is unreachable (${reason})`,
    'Start PostgreSQL or point PATCHBAY_TEST_POSTGRES_URL at one',
  )
}

function unreachableReason(): Promise<string | undefined> {
  probe ??= (async () => {
    const client = new pg.Client({ connectionString: postgresUrlForTests(), connectionTimeoutMillis: 3000 })
    client.on('error', () => {})
    try {
      await client.connect()
      await client.query('select 1')
      return undefined
    } catch (error) {
      return error instanceof Error ? error.message || error.name : String(error)
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return probe
}

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(an unparseable URL)'
  }
}
