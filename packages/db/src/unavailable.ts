/**
 * Whether `error` (or an error it wraps, as drizzle's `Failed query` does) says the database
 * could not be reached or had no connection to spare: the pool's checkout timed out, a new
 * connection timed out or was refused, or the server refused it (too many clients, starting
 * up, shutting down). Such a failure is transient and happened before the statement ran, so
 * the API answers 503 with Retry-After rather than 500.
 *
 * @example
 * if (isDatabaseUnavailable(error)) return c.json(body, 503, { 'retry-after': '1' })
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof Error && unavailableMessages.has(current.message)) return true
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && unavailableCodes.has(code)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/** node-postgres states these only as messages (pg-pool's checkout and connect timeouts, a closed pool). */
const unavailableMessages = new Set([
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  'Cannot use a pool after calling end on the pool',
])

const unavailableCodes = new Set([
  // the socket could not be opened
  'ECONNREFUSED',
  'ETIMEDOUT',
  // SQLSTATE: too_many_connections, admin_shutdown, crash_shutdown, cannot_connect_now
  '53300',
  '57P01',
  '57P02',
  '57P03',
  // SQLSTATE class 08: connection_exception, sqlclient_unable_to_establish_sqlconnection,
  // sqlserver_rejected_establishment_of_sqlconnection
  '08000',
  '08001',
  '08004',
])
