import { DEFAULT_ORG_ID } from '@patchbay/db'
import { type FakeOpenAI, startFakeOpenAI } from '@patchbay/providers/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, chatWorkflow, helloWorkflow, signUpOwnerViewerStranger } from '../testing/fixtures.ts'
import { type Caller, startTestServer, type TestServer } from '../testing/test-server.ts'
import type { UsageJson } from './usage.ts'

// Runs with real model calls (a loopback OpenAI, priced from the catalog) and runs written
// straight into the store on fixed days, read back through GET /usage.

const today = () => new Date().toISOString().slice(0, 10)
const daysBefore = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10)

let fake: FakeOpenAI
let server: TestServer
let owner: Caller
let viewer: Caller
let stranger: Caller
let chatId: string
let runCosts: number[]

async function usage(query = '', as: Caller = owner): Promise<UsageJson> {
  // Members of several organisations name the one they mean (the viewer's own comes first).
  const response = await server.fetch(`/api/v1/usage${query}`, { as, headers: { 'x-patchbay-org': DEFAULT_ORG_ID } })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET /usage${query} → ${response.status}: ${text}`)
  return JSON.parse(text) as UsageJson
}

async function badRequest(query: string) {
  const response = await server.fetch(`/api/v1/usage${query}`, { as: owner })
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } }
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: null })
  server = await startTestServer({ providerEnv: { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: 'sk-test' } })
  ;({ owner, viewer, stranger } = await signUpOwnerViewerStranger(server))

  chatId = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', chatWorkflow('Chatty'))).id
  const helloId = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Free'))).id
  runCosts = []
  for (const workflowId of [chatId, chatId, helloId]) {
    const run = await call<{ status: string; cost: number }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
      workflowId,
    })
    expect(run.status).toBe('succeeded')
    runCosts.push(run.cost)
  }
}, 60_000)

afterAll(async () => {
  await server?.close()
  await fake?.close()
})

describe('GET /usage', () => {
  it('adds up the last 30 days by default: spend, runs, nodes, per day, workflow and model', async () => {
    const [first = 0, second = 0] = runCosts
    expect(first).toBeGreaterThan(0)
    const body = await usage()
    expect(body).toMatchObject({
      from: daysBefore(today(), 29),
      to: today(),
      runs: { total: 3, succeeded: 3, failed: 0, canceled: 0, active: 0 },
      // The first chat run's three nodes, the second's model call (its prompt and reply come from
      // the cache), the hello run's two.
      nodeExecutions: 6,
    })
    expect(body.cost).toBeCloseTo(first + second, 10)
    expect(body.days).toHaveLength(30)
    expect(body.days.slice(0, 29).every((row) => row.runs === 0 && row.cost === 0)).toBe(true)
    expect(body.days.at(-1)).toMatchObject({ date: today(), runs: 3 })
    expect(body.workflows).toEqual([
      { workflowId: chatId, name: 'Chatty', runs: 2, cost: expect.closeTo(first + second, 10) },
      { workflowId: expect.any(String), name: 'Free', runs: 1, cost: 0 },
    ])
    expect(body.models).toEqual([
      { model: 'openai/gpt-4o-mini', provider: 'openai', calls: 2, cost: expect.closeTo(first + second, 10) },
    ])
  })

  it('is the same for a viewer, and empty for another organisation', async () => {
    expect(await usage('', viewer)).toEqual(await usage())
    const response = await server.fetch('/api/v1/usage', { as: stranger })
    const other = (await response.json()) as UsageJson
    expect(other).toMatchObject({ cost: 0, runs: { total: 0 }, nodeExecutions: 0, workflows: [], models: [] })
    expect(other.days).toHaveLength(30)
  })

  it('counts runs by their UTC creation day, both ends of the period included', async () => {
    const { store } = server.services.runtime
    const version = await store.saveVersion({
      id: 'usage-version',
      orgId: DEFAULT_ORG_ID,
      workflowId: null,
      document: helloWorkflow('Backfilled') as never,
    })
    const run = (id: string, createdAt: string, status: 'succeeded' | 'failed', cost: number) => ({
      id,
      orgId: DEFAULT_ORG_ID,
      workflowId: null,
      versionId: version.id,
      status,
      inputs: {},
      scope: null,
      outputs: null,
      error: null,
      createdAt: new Date(createdAt),
      startedAt: null,
      finishedAt: new Date(createdAt),
      cost,
    })
    await store.commit({
      runs: [
        run('usage-before', '2031-02-28T23:59:59.999Z', 'succeeded', 100),
        run('usage-first', '2031-03-01T00:00:00.000Z', 'succeeded', 1.25),
        run('usage-late', '2031-03-01T23:30:00.000Z', 'failed', 0.5),
        run('usage-last', '2031-03-03T23:59:59.999Z', 'succeeded', 2),
        run('usage-after', '2031-03-04T00:00:00.000Z', 'succeeded', 100),
      ],
    })
    const body = await usage('?from=2031-03-01&to=2031-03-03')
    expect(body).toEqual({
      from: '2031-03-01',
      to: '2031-03-03',
      cost: 3.75,
      runs: { total: 3, succeeded: 2, failed: 1, canceled: 0, active: 0 },
      nodeExecutions: 0,
      days: [
        { date: '2031-03-01', runs: 2, cost: 1.75 },
        { date: '2031-03-02', runs: 0, cost: 0 },
        { date: '2031-03-03', runs: 1, cost: 2 },
      ],
      workflows: [{ workflowId: null, name: null, runs: 3, cost: 3.75 }],
      models: [],
    })
    // One day; and `to` alone means the 30 days ending there.
    expect((await usage('?from=2031-03-03&to=2031-03-03')).days).toEqual([{ date: '2031-03-03', runs: 1, cost: 2 }])
    const ending = await usage('?to=2031-03-03')
    expect({ from: ending.from, days: ending.days.length, runs: ending.runs.total }).toEqual({
      from: '2031-02-02',
      days: 30,
      runs: 4,
    })
    expect((await usage('?from=2030-03-04&to=2031-03-04')).days).toHaveLength(366)
  })

  it('refuses dates that are not days, a period ending before it starts, and one over 366 days', async () => {
    for (const query of [
      '?from=2031-02-30',
      '?from=31-03-01',
      '?to=2031-03-01T00:00:00Z',
      '?from=yesterday',
      '?from=2031-03-02&to=2031-03-01',
      '?from=2030-03-03&to=2031-03-04',
      '?from=2000-01-01',
    ]) {
      const { status, body } = await badRequest(query)
      expect({ query, status, code: body.error.code }).toEqual({ query, status: 400, code: 'INVALID_REQUEST' })
    }
    expect((await badRequest('?from=2031-03-02&to=2031-03-01')).body.error.message).toContain('before')
    expect((await badRequest('?from=2030-03-03&to=2031-03-04')).body.error.message).toContain('366 days')
  })

  it('needs a signed-in caller and is in the OpenAPI document', async () => {
    expect((await server.fetch('/api/v1/usage', { as: 'anonymous' })).status).toBe(401)
    const doc = (await (await server.fetch('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[] } }>
    }
    expect(doc.paths['/api/v1/usage']?.get?.parameters?.map((parameter) => parameter.name).sort()).toEqual([
      'from',
      'to',
    ])
  })
})
