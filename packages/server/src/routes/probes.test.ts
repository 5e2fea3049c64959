import { type FakeOpenAI, startFakeOpenAI } from '@patchbay/providers/testing'
import { createPrometheusMetrics } from '@patchbay/runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, chatWorkflow, helloWorkflow } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// GET /health, /ready and /metrics on a real server: runs go through the engine and a loopback
// OpenAI, and the scrape shows what they did.

/** The value of the one sample named `name` whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  const values = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .filter((line) => {
      const have = line.slice(line.indexOf('{') + 1, line.lastIndexOf('}')).split(/,(?=[a-z_]+=")/)
      return wanted.every((pair) => have.includes(pair))
    })
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)))
  if (values.length > 1) throw new Error(`${values.length} samples of ${name} match ${wanted.join(',')}`)
  return values[0]
}

describe('GET /metrics and /ready', () => {
  let fake: FakeOpenAI
  let server: TestServer
  let owner: Caller

  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: null })
    server = await startTestServer({
      providerEnv: { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test' },
      metrics: createPrometheusMetrics({ role: 'all' }),
    })
    owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
  }, 60_000)

  afterAll(async () => {
    await server?.close()
    await fake?.close()
  })

  it('counts the node attempts, provider calls and runs of finished runs', async () => {
    const hello = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Hi'))).id
    const chat = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', chatWorkflow('Chat'))).id
    const runIds: string[] = []
    const run = async (workflowId: string) => {
      const finished = await call<{ id: string; status: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
        workflowId,
      })
      runIds.push(finished.id)
      return finished
    }
    expect((await run(hello)).status).toBe('succeeded')
    expect((await run(chat)).status).toBe('succeeded')
    fake.faults.push({ status: 400, body: { error: { message: 'bad prompt', type: 'invalid_request_error' } } })
    expect((await run(chat)).status).toBe('failed')

    const response = await server.fetch('/metrics')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await response.text()
    const attempts = (node_type: string, outcome: string) =>
      sample(text, 'patchbay_node_attempts_total', { node_type, outcome, role: 'all' })
    expect(attempts('text.template', 'succeeded')).toBe(1)
    expect(attempts('output', 'succeeded')).toBe(2)
    expect(attempts('llm.chat', 'succeeded')).toBe(1)
    expect(attempts('llm.chat', 'failed')).toBe(1)
    expect(sample(text, 'patchbay_node_failures_total', { node_type: 'llm.chat', code: 'PROVIDER_REJECTED' })).toBe(1)
    expect(sample(text, 'patchbay_runs_finished_total', { status: 'succeeded' })).toBe(2)
    expect(sample(text, 'patchbay_runs_finished_total', { status: 'failed' })).toBe(1)
    expect(sample(text, 'patchbay_run_duration_seconds_count', { status: 'succeeded' })).toBe(2)
    const provider = { provider: 'openai', capability: 'chat' }
    expect(sample(text, 'patchbay_provider_requests_total', { ...provider, outcome: 'ok', status: '' })).toBe(1)
    expect(sample(text, 'patchbay_provider_requests_total', { ...provider, outcome: 'error', status: '400' })).toBe(1)
    expect(sample(text, 'patchbay_provider_request_duration_seconds_count', { ...provider, outcome: 'ok' })).toBe(1)
    expect(sample(text, 'process_resident_memory_bytes', { role: 'all' })).toBeGreaterThan(0)
    // Nothing user-made in a label: no model ids, no run ids, no messages.
    for (const leak of ['gpt-4o-mini', 'bad prompt', hello, chat, ...runIds]) expect(text).not.toContain(leak)
  })

  it('is ready when the database and the asset store answer', async () => {
    const response = await server.fetch('/ready')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      ready: true,
      checks: {
        database: { ok: true, ms: expect.any(Number) },
        assets: { ok: true, ms: expect.any(Number) },
      },
    })
    expect((await server.fetch('/health')).status).toBe(200)
  })
})

describe('/ready with a failing dependency, /metrics behind a token', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({
      env: { PATCHBAY_METRICS_TOKEN: 'scrape-token-0123456789' },
      metrics: createPrometheusMetrics({ role: 'all' }),
      readinessChecks: {
        redis: () =>
          Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED redis://:hunter2@10.0.0.9:6379'), { code: 'ECONNREFUSED' }),
          ),
      },
    })
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  it('answers 503 naming the failed check, without its message', async () => {
    const response = await server.fetch('/ready')
    expect(response.status).toBe(503)
    const body = await response.json()
    expect(body).toMatchObject({
      ready: false,
      checks: {
        database: { ok: true },
        assets: { ok: true },
        redis: { ok: false, error: 'ECONNREFUSED', ms: expect.any(Number) },
      },
    })
    expect(JSON.stringify(body)).not.toContain('hunter2')
    // Alive all the same.
    expect((await server.fetch('/health')).status).toBe(200)
  })

  it('serves metrics only with the bearer token', async () => {
    const anonymous = await server.fetch('/metrics')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer')
    expect(await anonymous.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } })
    const wrong = await server.fetch('/metrics', { headers: { authorization: 'Bearer scrape-token-0123456788' } })
    expect(wrong.status).toBe(401)
    // An API key or session is not the metrics token.
    const owner = await signUp(server, { email: 'owner@example.com' })
    expect((await server.fetch('/metrics', { as: { cookie: owner.cookie } })).status).toBe(401)
    const right = await server.fetch('/metrics', { headers: { authorization: 'Bearer scrape-token-0123456789' } })
    expect(right.status).toBe(200)
    expect(await right.text()).toContain('# TYPE patchbay_node_attempts_total counter')
  })
})

describe('/metrics without metrics', () => {
  it('answers a JSON 404', async () => {
    const server = await startTestServer()
    try {
      const response = await server.fetch('/metrics')
      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    } finally {
      await server.close()
    }
  }, 60_000)
})
