import { MAX_JSON_DEPTH } from '@patchbay/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow } from '../testing/fixtures.ts'
import { nestedText } from '../testing/openapi-fuzz-cases.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'
import { findInvalidText, isCleanText, jsonDepth } from './body-hygiene.ts'

// Issue 13 findings 4 and 6: deep JSON and text PostgreSQL cannot store are refused at the edge
// with 400 and a named code, instead of a 500 (and, for deep run inputs, a leaked active run).

describe('jsonDepth', () => {
  it('counts nesting without recursion, ignoring brackets inside strings', () => {
    expect(jsonDepth('1')).toBe(0)
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4)
    expect(jsonDepth('["[[[[", "\\"[[[", {"k]}": "{{"}]')).toBe(2)
    expect(jsonDepth('['.repeat(1_000_000))).toBe(1_000_000)
    expect(jsonDepth('['.repeat(1_000_000), 400)).toBe(401)
  })
})

describe('findInvalidText', () => {
  it('names the first key or string with a NUL or an unpaired surrogate', () => {
    expect(findInvalidText({ a: ['fine', 'emoji 😀', { b: 'x\u0000' }] })).toEqual(['a', 2, 'b'])
    expect(findInvalidText({ a: { '\ud800': 1 } })).toEqual(['a', '\ud800'])
    expect(findInvalidText(['ok', '\udc00\ud800'])).toEqual([1])
    expect(findInvalidText({ a: 'a pair: \ud83d\ude00' })).toBeUndefined()
    expect(isCleanText('\ud83d')).toBe(false)
  })
})

describe('the API edge', () => {
  let server: TestServer
  let owner: { cookie: string }
  let workflowId: string

  beforeAll(async () => {
    server = await startTestServer()
    owner = { cookie: (await signUp(server, { email: 'hygiene@example.com' })).cookie }
    const document = {
      ...helloWorkflow('Deep'),
      inputs: { name: { type: 'text', default: 'W' }, data: { type: 'json', default: 1 } },
    }
    workflowId = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', document)).id
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  const send = async (method: string, path: string, body?: string) => {
    const response = await server.fetch(path, {
      method,
      as: owner,
      ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
    })
    return {
      status: response.status,
      body: (await response.json()) as { error?: { code: string; details?: { path?: unknown } } } & Record<
        string,
        unknown
      >,
    }
  }

  it('refuses run inputs nested 5,000 deep with JSON_TOO_DEEP and keeps no run', async () => {
    const before = server.services.runtime.engine.activeRuns
    for (let i = 0; i < 50; i++) {
      const answer = await send(
        'POST',
        '/api/v1/runs',
        `{"workflowId":"${workflowId}","inputs":{"data":${nestedText(5000)}}}`,
      )
      expect(answer.status).toBe(400)
      expect(answer.body.error?.code).toBe('JSON_TOO_DEEP')
    }
    expect(server.services.runtime.engine.activeRuns).toBe(before)
  })

  it('refuses node params nested 5,000 deep with JSON_TOO_DEEP', async () => {
    const document = JSON.stringify(helloWorkflow('Deep params')).replace(
      '"params":{',
      `"params":{"deep":${nestedText(5000)},`,
    )
    const answer = await send('POST', '/api/v1/workflows', document)
    expect(answer.status).toBe(400)
    expect(answer.body.error?.code).toBe('JSON_TOO_DEEP')
  })

  it(`accepts bodies nested exactly ${MAX_JSON_DEPTH} levels, as before`, async () => {
    // Body, inputs, then the value: 2 + 398 levels.
    const run = await send(
      'POST',
      '/api/v1/runs?wait=30',
      `{"workflowId":"${workflowId}","inputs":{"data":${nestedText(MAX_JSON_DEPTH - 2)}}}`,
    )
    expect(run.status).toBe(200) // finished within the wait
    expect(run.body.status).toBe('succeeded')
    // Document, nodes, node, params, then the value: 4 + 396 levels.
    const document = JSON.stringify(helloWorkflow('Deep params')).replace(
      '"params":{',
      `"params":{"deep":${nestedText(MAX_JSON_DEPTH - 4)},`,
    )
    expect((await send('POST', '/api/v1/workflows', document)).status).toBe(201)
    const tooDeep = JSON.stringify(helloWorkflow('Deep params')).replace(
      '"params":{',
      `"params":{"deep":${nestedText(MAX_JSON_DEPTH - 3)},`,
    )
    expect((await send('POST', '/api/v1/workflows', tooDeep)).body.error?.code).toBe('JSON_TOO_DEEP')
    expect(server.services.runtime.engine.activeRuns).toBe(0)
  })

  it('refuses NUL and unpaired surrogates in names, values, params, queries and paths with INVALID_TEXT', async () => {
    const cases: [string, string, string | undefined, unknown][] = [
      ['POST', '/api/v1/workflows', JSON.stringify(helloWorkflow('a\u0000b')), ['name']],
      [
        'POST',
        '/api/v1/workflows',
        JSON.stringify(helloWorkflow()).replace('Hello, ', 'Hello\\ud800, '),
        ['nodes', 0, 'params', 'template'],
      ],
      ['POST', '/api/v1/orgs', '{"name":"x\\u0000"}', ['name']],
      ['POST', '/api/v1/api-keys', '{"name":"\\udfff"}', ['name']],
      ['POST', '/api/v1/credentials', '{"name":"NUL_VALUE","value":"secret\\ud800"}', ['value']],
      ['POST', '/api/v1/credentials', '{"name":"NUL_DESC","value":"v","description":"\\u0000"}', ['description']],
      ['GET', '/api/v1/workflows?search=a%00b', undefined, ['search']],
      ['GET', '/api/v1/workflows/a%00b', undefined, ['a%00b']],
      [
        'POST',
        '/api/auth/sign-up/email',
        '{"email":"n@example.com","password":"long enough","name":"\\u0000"}',
        ['name'],
      ],
    ]
    for (const [method, path, body, at] of cases) {
      const answer = await send(method, path, body)
      expect(answer.status, `${method} ${path} ${body}`).toBe(400)
      expect(answer.body.error?.code).toBe('INVALID_TEXT')
      expect(answer.body.error?.details?.path).toEqual(at)
    }
  })

  it('keeps well-formed text, emoji and escaped characters as they are', async () => {
    const name = 'Ünïcödé 😀 \\ "quoted" \t tab'
    const created = await call<{ id: string; name: string }>(
      server,
      owner,
      'POST',
      '/api/v1/workflows',
      helloWorkflow(name),
    )
    expect(created.name).toBe(name)
    const list = await call<{ items: { name: string }[] }>(
      server,
      owner,
      'GET',
      `/api/v1/workflows?search=${encodeURIComponent('😀')}`,
    )
    expect(list.items.map((item) => item.name)).toContain(name)
  })
})
