import { afterEach, describe, expect, it } from 'vitest'
import { createPrometheusMetrics } from '../metrics/prometheus.ts'
import { bearerTokenMatches } from './bearer-token.ts'
import { type EndpointServer, startEndpointServer } from './endpoint-server.ts'
import { checkReadiness } from './readiness.ts'

let server: EndpointServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('startEndpointServer', () => {
  it('serves /health, /ready and /metrics over HTTP on a free port', async () => {
    const prom = createPrometheusMetrics({ role: 'worker', queueCounts: async () => ({ waiting: 7 }) })
    prom.metrics.attemptFinished({ nodeType: 'text.template', outcome: 'succeeded', durationMs: 12 })
    let databaseUp = true
    server = await startEndpointServer({
      host: '127.0.0.1',
      port: 0,
      ready: () =>
        checkReadiness({
          database: async () => {
            if (!databaseUp) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
          },
        }),
      metrics: prom,
    })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const health = await fetch(`${server.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toEqual({ status: 'ok' })

    const ready = await fetch(`${server.url}/ready`)
    expect(ready.status).toBe(200)
    expect(await ready.json()).toEqual({ ready: true, checks: { database: { ok: true, ms: expect.any(Number) } } })

    databaseUp = false
    const notReady = await fetch(`${server.url}/ready`)
    expect(notReady.status).toBe(503)
    expect(await notReady.json()).toMatchObject({
      ready: false,
      checks: { database: { ok: false, error: 'ECONNREFUSED' } },
    })

    const metrics = await fetch(`${server.url}/metrics`)
    expect(metrics.status).toBe(200)
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await metrics.text()
    expect(text).toContain(
      'patchbay_node_attempts_total{node_type="text.template",outcome="succeeded",role="worker"} 1',
    )
    expect(text).toContain('patchbay_queue_jobs{state="waiting",role="worker"} 7')

    const missing = await fetch(`${server.url}/nothing`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    const posted = await fetch(`${server.url}/ready`, { method: 'POST' })
    expect(posted.status).toBe(405)
  })

  it('answers /metrics with 404 without metrics, and asks for the token when one is set', async () => {
    server = await startEndpointServer({ host: '127.0.0.1', port: 0, ready: () => checkReadiness({}) })
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404)
    await server.close()

    server = await startEndpointServer({
      host: '127.0.0.1',
      port: 0,
      ready: () => checkReadiness({}),
      metrics: createPrometheusMetrics({ role: 'worker' }),
      metricsToken: 's3cret-token',
    })
    const anonymous = await fetch(`${server.url}/metrics`)
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } })
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    const right = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer s3cret-token' } })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('process_cpu_user_seconds_total')
    // Probes stay open: orchestrators do not send tokens.
    expect((await fetch(`${server.url}/ready`)).status).toBe(200)
  })

  it('closes while a scraper holds a keep-alive connection', async () => {
    server = await startEndpointServer({ host: '127.0.0.1', port: 0, ready: () => checkReadiness({}) })
    await (await fetch(`${server.url}/health`, { headers: { connection: 'keep-alive' } })).text()
    const started = Date.now()
    await server.close()
    server = undefined
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('bearerTokenMatches', () => {
  it('accepts exactly the token, with any case of the scheme', () => {
    expect(bearerTokenMatches('Bearer abc', 'abc')).toBe(true)
    expect(bearerTokenMatches('bearer abc', 'abc')).toBe(true)
    expect(bearerTokenMatches('Bearer abcd', 'abc')).toBe(false)
    expect(bearerTokenMatches('Bearer ab', 'abc')).toBe(false)
    expect(bearerTokenMatches('Basic abc', 'abc')).toBe(false)
    expect(bearerTokenMatches('abc', 'abc')).toBe(false)
    expect(bearerTokenMatches(undefined, 'abc')).toBe(false)
    expect(bearerTokenMatches('Bearer ', '')).toBe(false)
  })
})
