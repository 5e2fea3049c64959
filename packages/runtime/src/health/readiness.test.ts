import { connect } from 'node:net'
import { describe, expect, it } from 'vitest'
import { checkReadiness, errorCode } from './readiness.ts'

describe('checkReadiness', () => {
  it('is ready when every check passes, timing each', async () => {
    const readiness = await checkReadiness({
      database: async () => {},
      assets: () => new Promise((resolve) => setTimeout(resolve, 20)),
    })
    expect(readiness.ready).toBe(true)
    expect(readiness.checks.database).toEqual({ ok: true, ms: expect.any(Number) })
    expect(readiness.checks.assets?.ok).toBe(true)
    expect(readiness.checks.assets?.ms).toBeGreaterThanOrEqual(15)
  })

  it('is ready with no checks at all', async () => {
    expect(await checkReadiness({})).toEqual({ ready: true, checks: {} })
  })

  it('reports a failing check by code, without its message', async () => {
    const secret = 'postgres://patchbay:hunter2@db.internal:5432/patchbay'
    const refused = Object.assign(new Error(`connect ECONNREFUSED for ${secret}`), { code: 'ECONNREFUSED' })
    const readiness = await checkReadiness({
      database: () => Promise.reject(refused),
      assets: async () => {},
      redis: () => {
        throw new TypeError(`bad url ${secret}`)
      },
    })
    expect(readiness.ready).toBe(false)
    expect(readiness.checks.database).toEqual({ ok: false, ms: expect.any(Number), error: 'ECONNREFUSED' })
    expect(readiness.checks.assets?.ok).toBe(true)
    expect(readiness.checks.redis).toMatchObject({ ok: false, error: 'TypeError' })
    expect(JSON.stringify(readiness)).not.toContain('hunter2')
  })

  it('gives up on a check that hangs, running the others in parallel', async () => {
    const started = Date.now()
    const readiness = await checkReadiness(
      {
        slow: () => new Promise(() => {}),
        alsoSlow: () => new Promise(() => {}),
        fast: async () => {},
      },
      100,
    )
    expect(Date.now() - started).toBeLessThan(1000)
    expect(readiness.ready).toBe(false)
    expect(readiness.checks.slow).toEqual({ ok: false, ms: expect.any(Number), error: 'timeout' })
    expect(readiness.checks.slow?.ms).toBeGreaterThanOrEqual(90)
    expect(readiness.checks.alsoSlow?.error).toBe('timeout')
    expect(readiness.checks.fast?.ok).toBe(true)
  })

  it('reports a real refused connection as ECONNREFUSED', async () => {
    // Port 1 on loopback: nothing listens there on a test machine.
    const readiness = await checkReadiness({
      tcp: () =>
        new Promise((resolve, reject) => {
          const socket = connect({ host: 'localhost', port: 1 })
          socket.once('connect', () => {
            socket.destroy()
            resolve()
          })
          socket.once('error', reject)
        }),
    })
    expect(readiness.checks.tcp).toMatchObject({ ok: false, error: 'ECONNREFUSED' })
  })
})

describe('errorCode', () => {
  it('prefers a code, then a cause code, then the class name', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: '57P01' }))).toBe('57P01')
    expect(errorCode(new Error('x', { cause: Object.assign(new Error('y'), { code: 'ENOTFOUND' }) }))).toBe('ENOTFOUND')
    expect(errorCode(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]))).toBe(
      'ECONNREFUSED',
    )
    expect(errorCode(new RangeError('secret'))).toBe('RangeError')
    expect(errorCode(Object.assign(new Error('x'), { code: 'has spaces and secret://x' }))).toBe('Error')
    expect(errorCode('a string with postgres://secret')).toBe('error')
  })
})
