import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow } from '../testing/fixtures.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Arbitrary bodies against the workflow and run endpoints: never a 500, never a crash, and
// every error names its problem in the API's format.

let server: TestServer
let owner: { cookie: string }
let workflowId: string

beforeAll(async () => {
  server = await startTestServer()
  owner = { cookie: (await signUp(server, { email: 'fuzz@example.com' })).cookie }
  workflowId = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow())).id
}, 60_000)

afterAll(async () => {
  await server?.close()
})

const anyJson = fc.jsonValue({ maxDepth: 4 })

/** Bodies near the real shapes, so the fuzzer gets past the first check. */
const workflowLike = fc.record(
  {
    schemaVersion: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
    name: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
    inputs: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }),
    nodes: fc.array(
      fc.record(
        {
          id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
          type: fc.constantFrom('text.template', 'output', 'util.wait', 'nope', 'image.resize'),
          params: fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    ),
    edges: fc.array(
      fc.record(
        {
          id: fc.string(),
          source: fc.string(),
          sourceHandle: fc.string(),
          target: fc.string(),
          targetHandle: fc.string(),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
  },
  { requiredKeys: [] },
)

const runLike = fc.record(
  {
    workflowId: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('WORKFLOW'), fc.integer()),
    versionId: fc.oneof(fc.string({ maxLength: 40 }), fc.constant(null)),
    inputs: fc.oneof(fc.dictionary(fc.string({ maxLength: 10 }), anyJson, { maxKeys: 3 }), anyJson),
    scope: fc.oneof(
      fc.constant('all'),
      fc.record({ nodes: fc.array(fc.oneof(fc.constantFrom('greeting', 'message'), fc.string()), { maxLength: 3 }) }),
      anyJson,
    ),
  },
  { requiredKeys: [] },
)

async function expectCleanAnswer(method: string, path: string, body: string): Promise<void> {
  const response = await server.fetch(path, {
    method,
    as: owner,
    headers: { 'content-type': 'application/json' },
    body,
  })
  const text = await response.text()
  expect(response.status, `${method} ${path} ${body} → ${text}`).toBeLessThan(500)
  if (response.status >= 400) {
    const parsed = JSON.parse(text) as { error: { code: string; message: string } }
    expect(parsed.error.code).toMatch(/^[A-Z_]+$/)
    expect(parsed.error.message.length).toBeGreaterThan(5)
  }
}

describe('fuzzing', () => {
  it('answers arbitrary workflow documents with 2xx or a named 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(workflowLike, anyJson), async (body) => {
        await expectCleanAnswer('POST', '/api/v1/workflows', JSON.stringify(body))
        await expectCleanAnswer(
          'PUT',
          `/api/v1/workflows/${workflowId}`,
          JSON.stringify({ revision: 1, document: body }),
        )
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('answers arbitrary run requests with 2xx or a named 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(runLike, async (body) => {
        const text = JSON.stringify(body).replaceAll('"WORKFLOW"', JSON.stringify(workflowId))
        await expectCleanAnswer('POST', '/api/v1/runs', text)
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('answers any id or organisation in a path or header with a 4xx, never a 500', async () => {
    const routes = ['/api/v1/workflows/ID', '/api/v1/runs/ID', '/api/v1/versions/ID', '/api/v1/assets/ID/content']
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40, unit: 'binary' }), fc.constantFrom(...routes), async (raw, route) => {
        const path = route.replace('ID', encodeURIComponent(raw) || '%00')
        const byPath = await server.fetch(path, { as: owner })
        expect(byPath.status, `${path} → ${byPath.status}`).toBeLessThan(500)
        await byPath.body?.cancel()
        const byOrg = await server.fetch(`/api/v1/workflows?org=${encodeURIComponent(raw)}`, { as: owner })
        expect(byOrg.status, `org ${JSON.stringify(raw)} → ${byOrg.status}`).toBeLessThan(500)
        await byOrg.body?.cancel()
      }),
      { numRuns: 100 },
    )
  }, 120_000)

  it('answers broken JSON and odd content types with a 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (body) => {
        await expectCleanAnswer('POST', '/api/v1/workflows', body)
        await expectCleanAnswer('POST', '/api/v1/runs', body)
      }),
      { numRuns: 100 },
    )
  }, 120_000)
})
