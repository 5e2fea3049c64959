import { EventEmitter } from 'node:events'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './unavailable.ts'

/** A connection that opens at once and is never asked anything: the pool's own bookkeeping is what runs. */
class IdleClient extends EventEmitter {
  connect(callback: (error?: Error) => void): void {
    callback()
  }
  end(callback?: () => void): void {
    callback?.()
  }
}

/** What drizzle throws when pg-pool gives up waiting for a free connection (a real pool, no server). */
async function checkoutTimeout(): Promise<unknown> {
  const pool = new pg.Pool({ max: 1, connectionTimeoutMillis: 20, Client: IdleClient as unknown as typeof pg.Client })
  const held = await pool.connect()
  try {
    await drizzle({ client: pool }).execute(sql`select 1`)
    throw new Error('the query should have waited for a connection')
  } catch (error) {
    return error
  } finally {
    held.release()
    await pool.end()
  }
}

describe('isDatabaseUnavailable', () => {
  it('recognises a pool checkout timeout, also wrapped by drizzle', async () => {
    const error = await checkoutTimeout()
    expect(error).toBeInstanceOf(Error)
    expect(isDatabaseUnavailable(error)).toBe(true)
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true)
  })

  it('recognises refused connections and a server that turns clients away', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true)
    const tooMany = Object.assign(new Error('sorry, too many clients already'), { code: '53300' })
    expect(isDatabaseUnavailable(new Error('Failed query: select 1', { cause: tooMany }))).toBe(true)
  })

  it('leaves real faults alone', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false)
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: new TypeError('x is undefined') }))).toBe(false)
    expect(isDatabaseUnavailable(undefined)).toBe(false)
    expect(isDatabaseUnavailable('timeout exceeded when trying to connect')).toBe(false)
  })
})
