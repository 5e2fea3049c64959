import { UnavailableError } from '@patchbay/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { errorResponse } from './errors.ts'

/** Answers every request by throwing `error` through the one onError mapping. */
function throwing(error: unknown) {
  const faults: unknown[] = []
  const app = new Hono()
  app.get('/', () => {
    throw error
  })
  app.onError((thrown, c) => errorResponse(thrown, c, (fault) => faults.push(fault)))
  return { request: () => app.request('/'), faults }
}

describe('errorResponse', () => {
  it('answers a pool checkout timeout with 503 and Retry-After, not 500', async () => {
    // What drizzle throws when pg-pool gave up waiting for a free connection.
    const timeout = new Error('Failed query: select 1\nparams: ', {
      cause: new Error('timeout exceeded when trying to connect'),
    })
    const { request, faults } = throwing(timeout)
    const response = await request()
    expect(response.status).toBe(503)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await response.json()).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } })
    expect(faults).toEqual([])
  })

  it('answers a refused database connection with 503', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    expect((await throwing(refused).request()).status).toBe(503)
  })

  it('answers a dependency out of reach (UnavailableError) with 503 and its message', async () => {
    const response = await throwing(new UnavailableError('the task queue (Redis) is out of reach')).request()
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).not.toBeNull()
    expect(await response.json()).toMatchObject({
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringContaining('the task queue (Redis) is out of reach'),
      },
    })
  })

  it('still answers a real fault with 500 and reports it', async () => {
    const { request, faults } = throwing(new TypeError('x is undefined'))
    const response = await request()
    expect(response.status).toBe(500)
    expect(await response.json()).toMatchObject({ error: { code: 'INTERNAL' } })
    expect(faults).toHaveLength(1)
  })
})
