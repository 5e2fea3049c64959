import { DEFAULT_ORG_ID } from '@patchbay/db'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow, pngBytes, uploadForm } from '../testing/fixtures.ts'
import { type FuzzCase, nestedText, type OpenApiDocument, planFuzzCases } from '../testing/openapi-fuzz-cases.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Walks the OpenAPI document and sends every operation malformed requests: deep nesting, NUL
// characters, unpaired surrogates, huge strings, wrong types, garbage bodies, hostile ids and
// query values (issue 13 findings 4 and 6). Not one may be answered with a 5xx, and every error
// must be the API's JSON error. A route added later is fuzzed without anyone writing a test.

const withPostgres = await postgresSuiteEnabled('OpenAPI fuzz on PostgreSQL')

interface Fixture {
  server: TestServer
  owner: Caller
  apiKey: Caller
  ids: Record<string, string>
}

async function setUp(database: 'pglite' | 'postgres'): Promise<Fixture> {
  const server = await startTestServer({ database })
  const owner = { cookie: (await signUp(server, { email: 'fuzz-owner@example.com' })).cookie }
  const viewer = await signUp(server, { email: 'fuzz-viewer@example.com' })
  await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: viewer.userId, role: 'viewer' })
  const workflow = await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Fuzz'))
  const versions = await call<{ items: { id: string }[] }>(
    server,
    owner,
    'GET',
    `/api/v1/workflows/${workflow.id}/versions`,
  )
  const run = await call<{ id: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', { workflowId: workflow.id })
  const credential = await call<{ id: string }>(server, owner, 'POST', '/api/v1/credentials', {
    name: 'FUZZ_SECRET',
    value: 'fuzz-secret-value',
  })
  const key = await call<{ id: string; key: string }>(server, owner, 'POST', '/api/v1/api-keys', {
    name: 'fuzz',
    role: 'owner',
  })
  const invitation = await call<{ id: string }>(server, owner, 'POST', '/api/v1/invitations', {
    email: 'invited@example.com',
    role: 'viewer',
  })
  const asset = await server.fetch('/api/v1/assets', {
    method: 'POST',
    as: owner,
    body: uploadForm(await pngBytes(), 'a.png'),
  })
  const assetId = ((await asset.json()) as { id: string }).id
  return {
    server,
    owner,
    apiKey: { apiKey: key.key },
    ids: {
      workflow: workflow.id,
      version: versions.items[0]?.id ?? 'none',
      run: run.id,
      credential: credential.id,
      apiKey: key.id,
      invitation: invitation.id,
      asset: assetId,
      user: viewer.userId,
    },
  }
}

/** The real id a path parameter takes, from the collection the path names. */
function pathValue(ids: Record<string, string>, template: string, param: string): string {
  if (param === 'versionId' || template.startsWith('/api/v1/versions/')) return ids.version as string
  if (param === 'userId') return ids.user as string
  if (param === 'uploadId') return 'not-a-token'
  const collection = template.split('/')[3] ?? ''
  const byCollection: Record<string, string | undefined> = {
    workflows: ids.workflow,
    runs: ids.run,
    credentials: ids.credential,
    'api-keys': ids.apiKey,
    invitations: ids.invitation,
    assets: ids.asset,
  }
  return byCollection[collection] ?? 'unknown'
}

/** Bodies that pass validation, so the mutations of their fields reach the handlers and the store. */
function seeds(ids: Record<string, string>) {
  const document = helloWorkflow('Fuzzed')
  return {
    'POST /api/v1/workflows': [document],
    'PUT /api/v1/workflows/{id}': [{ revision: 1, document }],
    'POST /api/v1/runs': [
      { workflowId: ids.workflow, inputs: { name: 'x' } },
      { versionId: ids.version, inputs: { name: 'x' }, scope: { nodes: ['greeting'] } },
    ],
    'POST /api/v1/credentials': [{ name: 'FUZZ_OTHER', value: 'value', description: 'about it' }],
    'PATCH /api/v1/credentials/{id}': [{ value: 'new value', description: 'about it' }],
    'POST /api/v1/api-keys': [{ name: 'fuzz key', role: 'viewer', expiresInDays: 3 }],
    'POST /api/v1/orgs': [{ name: 'Fuzz org' }],
    'PATCH /api/v1/orgs/current': [{ name: 'Fuzz org' }],
    'POST /api/v1/assets/uploads': [{ name: 'a.png', contentType: 'image/png', bytes: 10 }],
  }
}

/** A few requests outside the OpenAPI document: sign-up and sign-in, and multipart uploads. */
function extraCases(): FuzzCase[] {
  const cases: FuzzCase[] = []
  const json = (url: string, label: string, body: unknown) =>
    cases.push({ method: 'POST', url, label, body: JSON.stringify(body), contentType: 'application/json' })
  for (const [label, bad] of [
    ['NUL', 'a\u0000b'],
    ['surrogate', 'x\ud800'],
  ] as const) {
    json('/api/auth/sign-up/email', `sign-up name ${label}`, {
      email: 'n@example.com',
      password: 'long enough pw',
      name: bad,
    })
    json('/api/auth/sign-up/email', `sign-up email ${label}`, {
      email: `a${bad}@example.com`,
      password: 'pw pw pw pw',
      name: 'n',
    })
    json('/api/auth/sign-in/email', `sign-in password ${label}`, { email: 'fuzz-owner@example.com', password: bad })
  }
  cases.push({
    method: 'POST',
    url: '/api/auth/sign-up/email',
    label: 'sign-up 5,000 levels',
    body: `{"email":"d@example.com","password":"long enough","name":${nestedText(5000)}}`,
    contentType: 'application/json',
  })
  return cases
}

async function uploadCases(fixture: Fixture, failures: string[]): Promise<number> {
  const names = ['a\u0000b.png', '\ud800.png', 'x'.repeat(10_000), '../../etc/passwd', '']
  for (const name of names) {
    const form = uploadForm(new Uint8Array([1, 2, 3]), name)
    form.set('extra\u0000field', 'v\u0000')
    const response = await fixture.server.fetch('/api/v1/assets', { method: 'POST', as: fixture.owner, body: form })
    await expectClean(response, `upload named ${JSON.stringify(name.slice(0, 20))}`, failures)
  }
  return names.length
}

async function expectClean(response: Response, label: string, failures: string[]): Promise<void> {
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('text/event-stream')) {
    await response.body?.cancel()
    return
  }
  const text = await response.text()
  if (response.status >= 500) {
    failures.push(`${label} → ${response.status} ${text.slice(0, 300)}`)
    return
  }
  if (response.status < 400) return
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }
    const { code, message } = body.error ?? {}
    if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(code) || typeof message !== 'string' || !message) {
      failures.push(`${label} → ${response.status} without a proper error body: ${text.slice(0, 200)}`)
    }
  } catch {
    failures.push(`${label} → ${response.status} not JSON: ${text.slice(0, 200)}`)
  }
}

/**
 * `all` cases, or only those about text and nesting (on PostgreSQL, which refuses NUL where
 * PGlite might not; wrong types and garbage are answered before the database either way).
 */
async function fuzz(
  fixture: Fixture,
  focus: 'all' | 'text',
): Promise<{ sent: number; operations: number; failures: string[]; statuses: Record<number, number> }> {
  const { server } = fixture
  const doc = (await (await server.fetch('/api/v1/openapi.json')).json()) as OpenApiDocument
  const plan = planFuzzCases(doc, {
    pathValues: (template, param) => pathValue(fixture.ids, template, param),
    seeds: seeds(fixture.ids),
  })
  // Deletions last, so the resources the other cases use exist until then.
  const chosen = [...extraCases(), ...plan.cases].filter(
    (fuzzCase) => focus === 'all' || /NUL|surrogate|pair|levels|%00|%ED|UTF-8/.test(fuzzCase.label),
  )
  const cases = chosen.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'))
  const failures: string[] = []
  const statuses: Record<number, number> = {}
  let sent = 0
  for (const fuzzCase of cases) {
    const headers: Record<string, string> = fuzzCase.contentType ? { 'content-type': fuzzCase.contentType } : {}
    const as = sent % 5 === 4 ? fixture.apiKey : fixture.owner
    let response: Response
    try {
      response = await server.fetch(fuzzCase.url, {
        method: fuzzCase.method,
        as,
        headers,
        signal: AbortSignal.timeout(30_000),
        ...(fuzzCase.body === undefined ? {} : { body: fuzzCase.body }),
      })
    } catch (error) {
      failures.push(`${fuzzCase.label} → request failed: ${String(error)}`)
      continue
    }
    sent++
    statuses[response.status] = (statuses[response.status] ?? 0) + 1
    await expectClean(response, fuzzCase.label, failures)
  }
  sent += await uploadCases(fixture, failures)
  return { sent, operations: plan.operations.length, failures, statuses }
}

describe.each([
  ['pglite', 'all', true],
  ['postgres', 'text', withPostgres],
] as const)('OpenAPI fuzz (%s, %s cases)', (database, focus, enabled) => {
  let fixture: Fixture | undefined

  beforeAll(async () => {
    if (enabled) fixture = await setUp(database)
  }, 60_000)

  afterAll(async () => {
    await fixture?.server.close()
  })

  it.skipIf(!enabled)(
    'answers thousands of malformed requests to every operation without a 5xx',
    async () => {
      const started = Date.now()
      const result = await fuzz(fixture as Fixture, focus)
      console.info(
        `OpenAPI fuzz (${database}, ${focus}): ${result.sent} requests over ${result.operations} operations in ${Date.now() - started} ms`,
        JSON.stringify(result.statuses),
      )
      expect({ count: result.failures.length, first: result.failures.slice(0, 20) }).toEqual({ count: 0, first: [] })
      expect(result.operations).toBeGreaterThanOrEqual(40)
      expect(result.sent).toBeGreaterThanOrEqual(focus === 'all' ? 2000 : 1000)
      // The server still serves, and the engine holds no run it could not store.
      const { server, owner } = fixture as Fixture
      expect((await server.fetch('/api/v1/me', { as: owner })).status).toBe(200)
      const { engine } = server.services.runtime
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(engine.activeRuns).toBe(0)
    },
    300_000,
  )
})
