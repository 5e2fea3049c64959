import { DEFAULT_ORG_ID } from '@patchbay/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NodeExecutionJson, RunDetailJson, RunJson } from '../runs/run-json.ts'
import { freshTag, waitsWorkflow } from '../runs/testing.ts'
import { call, helloWorkflow, signUpOwnerViewerStranger } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

let server: TestServer
let owner: Caller
let viewer: Caller
let stranger: Caller
let hello: string
let slow: string

beforeAll(async () => {
  server = await startTestServer()
  ;({ owner, viewer, stranger } = await signUpOwnerViewerStranger(server))
  hello = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Hello'))).id
  slow = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', waitsWorkflow('Slow', [2000]))).id
}, 60_000)

afterAll(async () => {
  await server?.close()
})

async function postRun(body: unknown, query = '', as: Caller = owner) {
  const response = await server.fetch(`/api/v1/runs${query}`, { method: 'POST', as, json: body })
  return { status: response.status, body: (await response.json()) as RunJson & { error: { code: string } } }
}

const getRun = (id: string, as: Caller = owner) => call<RunDetailJson>(server, as, 'GET', `/api/v1/runs/${id}`)

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const node = (run: RunDetailJson, id: string) => run.nodes.find((n) => n.nodeId === id) as NodeExecutionJson

describe('POST /runs', () => {
  it('starts a saved workflow (201), or waits for it and answers its outputs (200)', async () => {
    const started = await postRun({ workflowId: hello, inputs: { name: 'Ada' } })
    expect(started.status).toBe(201)
    expect(started.body).toMatchObject({ workflowId: hello, status: 'running', outputs: null })

    const waited = await postRun({ workflowId: hello, inputs: { name: 'Grace' } }, '?wait=30')
    expect(waited.status).toBe(200)
    expect(waited.body).toMatchObject({
      workflowId: hello,
      status: 'succeeded',
      inputs: { name: 'Grace' },
      outputs: { message: 'Hello, Grace!' },
      error: null,
      scope: null,
    })
    expect(waited.body.versionId).toBe(started.body.versionId) // the same document: one version
    expect(Date.parse(waited.body.finishedAt as string)).toBeGreaterThanOrEqual(Date.parse(waited.body.createdAt))
  })

  it('answers 202 with the run still running when the wait runs out', async () => {
    const { status, body } = await postRun({ workflowId: slow, inputs: { tag: freshTag() } }, '?wait=0.3')
    expect(status).toBe(202)
    expect(body.status).toBe('running')
    await call(server, owner, 'POST', `/api/v1/runs/${body.id}/cancel`)
  })

  it('runs a saved version', async () => {
    const first = await postRun({ workflowId: hello }, '?wait=30')
    const again = await postRun({ versionId: first.body.versionId, inputs: { name: 'Linus' } }, '?wait=30')
    expect(again.status).toBe(200)
    expect(again.body).toMatchObject({
      versionId: first.body.versionId,
      workflowId: hello,
      outputs: { message: 'Hello, Linus!' },
    })
  })

  it('refuses invalid inputs with every issue', async () => {
    const { status, body } = await postRun({ workflowId: hello, inputs: { name: 42, colour: 'red' } })
    expect(status).toBe(400)
    const error = body.error as { code: string; details: { issues: { code: string; path: unknown[] }[] } }
    expect(error.code).toBe('INVALID_WORKFLOW')
    expect(error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'UNKNOWN_WORKFLOW_INPUT', path: ['inputs', 'colour'] }),
        expect.objectContaining({ code: 'INVALID_WORKFLOW_INPUT', path: ['inputs', 'name'] }),
      ]),
    )
    const unknownNode = await postRun({ workflowId: hello, scope: { nodes: ['nope'] } })
    expect(unknownNode.status).toBe(400)
    expect(unknownNode.body.error.code).toBe('INVALID_WORKFLOW')
  })

  it('needs exactly one of workflowId and versionId, both in the organisation', async () => {
    for (const body of [{}, { workflowId: hello, versionId: 'v' }, { inputs: {} }]) {
      const { status, body: answer } = await postRun(body)
      expect(status).toBe(400)
      expect(answer.error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('exactly one') })
    }
    expect((await postRun({ workflowId: 'no-such-workflow' })).status).toBe(404)
    expect((await postRun({ versionId: 'no-such-version' })).status).toBe(404)
    expect((await postRun({ workflowId: hello }, '?wait=301')).status).toBe(400)
    expect((await postRun({ workflowId: hello, scope: 'some' })).status).toBe(400)
  })

  it('keeps the run going when the caller leaves while waiting', async () => {
    const workflow = await call<{ id: string }>(
      server,
      owner,
      'POST',
      '/api/v1/workflows',
      waitsWorkflow('Left', [500]),
    )
    const controller = new AbortController()
    const request = server.fetch('/api/v1/runs?wait=60', {
      method: 'POST',
      as: owner,
      json: { workflowId: workflow.id, inputs: { tag: freshTag() } },
      signal: controller.signal,
    })
    setTimeout(() => controller.abort(), 150)
    await expect(request).rejects.toThrow()
    const page = await until(
      () => call<{ items: RunJson[] }>(server, owner, 'GET', `/api/v1/runs?workflowId=${workflow.id}`),
      (p) => p.items[0]?.status !== 'running',
    )
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({ status: 'succeeded', outputs: { result: expect.stringMatching(/!$/) } })
  })

  it('lets viewers read runs but not start or cancel them', async () => {
    // Their own organisation comes first; address the shared one.
    const refused = await postRun({ workflowId: hello }, `?org=${DEFAULT_ORG_ID}`, viewer)
    expect(refused.status).toBe(403)
    expect(refused.body.error.code).toBe('FORBIDDEN')
    const run = await postRun({ workflowId: hello }, '?wait=30')
    const org = `?org=${DEFAULT_ORG_ID}`
    expect((await call<RunJson>(server, viewer, 'GET', `/api/v1/runs/${run.body.id}${org}`)).status).toBe('succeeded')
    const cancel = await server.fetch(`/api/v1/runs/${run.body.id}/cancel${org}`, { method: 'POST', as: viewer })
    expect(cancel.status).toBe(403)
  })
})

describe('GET /runs/{id}', () => {
  it('shows every node mid-run, those not reached yet as pending', async () => {
    const { body } = await postRun({ workflowId: slow, inputs: { tag: freshTag() } })
    const run = await until(
      () => getRun(body.id),
      (r) => node(r, 'wait').status === 'running',
    )
    expect(run).toMatchObject({ id: body.id, status: 'running', outputs: null, finishedAt: null })
    expect(run.nodes.map((n) => [n.nodeId, n.nodeType, n.status])).toEqual([
      ['start', 'input.text', 'succeeded'],
      ['wait', 'util.wait', 'running'],
      ['shout', 'text.template', 'pending'],
      ['out', 'output', 'pending'],
    ])
    expect(node(run, 'start')).toMatchObject({
      attempt: 1,
      params: { value: body.inputs.tag },
      outputs: { text: body.inputs.tag },
    })
    expect(node(run, 'wait')).toMatchObject({ attempt: 1, params: { ms: 2000 }, finishedAt: null })
    expect(node(run, 'wait').startedAt).toEqual(expect.any(String))
    expect(node(run, 'shout')).toEqual({
      nodeId: 'shout',
      nodeType: 'text.template',
      status: 'pending',
      attempt: 0,
      params: null,
      inputs: null,
      outputs: null,
      error: null,
      skipReason: null,
      queuedAt: null,
      startedAt: null,
      finishedAt: null,
      cost: null,
    })
    await call(server, owner, 'POST', `/api/v1/runs/${body.id}/cancel`)
  })

  it('shows only the scoped nodes and their upstream', async () => {
    const { body } = await postRun(
      { workflowId: slow, inputs: { tag: freshTag() }, scope: { nodes: ['start'] } },
      '?wait=30',
    )
    expect(body).toMatchObject({ status: 'succeeded', scope: ['start'] })
    const run = await getRun(body.id)
    expect(run.nodes.map((n) => [n.nodeId, n.status])).toEqual([['start', 'succeeded']])
  })
})

describe('GET /runs', () => {
  it('lists newest first, filtered by workflow and status, with paging', async () => {
    const workflow = await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Listed'))
    const first = await postRun({ workflowId: workflow.id, inputs: { name: 'one' } }, '?wait=30')
    const second = await postRun({ workflowId: workflow.id, inputs: { name: 'two' } }, '?wait=30')
    type Page = { items: (RunJson & { nodes?: unknown })[]; total: number; limit: number; offset: number }
    const all = await call<Page>(server, owner, 'GET', `/api/v1/runs?workflowId=${workflow.id}`)
    expect(all).toMatchObject({ total: 2, limit: 50, offset: 0 })
    expect(all.items.map((run) => run.id)).toEqual([second.body.id, first.body.id])
    expect(all.items[0]).toMatchObject({ status: 'succeeded', outputs: { message: 'Hello, two!' } })
    expect(all.items[0]?.nodes).toBeUndefined()

    const paged = await call<Page>(server, owner, 'GET', `/api/v1/runs?workflowId=${workflow.id}&limit=1&offset=1`)
    expect(paged).toMatchObject({ total: 2, limit: 1, offset: 1 })
    expect(paged.items.map((run) => run.id)).toEqual([first.body.id])

    const canceled = await postRun({ workflowId: slow, inputs: { tag: freshTag() } })
    await call(server, owner, 'POST', `/api/v1/runs/${canceled.body.id}/cancel`)
    const byStatus = await call<Page>(server, owner, 'GET', '/api/v1/runs?status=canceled&limit=500')
    expect(byStatus.items.map((run) => run.id)).toContain(canceled.body.id)
    expect(byStatus.items.every((run) => run.status === 'canceled')).toBe(true)
    const none = await call<Page>(server, owner, 'GET', `/api/v1/runs?workflowId=${workflow.id}&status=failed`)
    expect(none).toMatchObject({ total: 0, items: [] })

    expect((await server.fetch('/api/v1/runs?status=sleeping', { as: owner })).status).toBe(400)
  })
})

describe('POST /runs/{id}/cancel', () => {
  it('cancels a run mid-way; a finished run is answered unchanged', async () => {
    const { body } = await postRun({ workflowId: slow, inputs: { tag: freshTag() } })
    await until(
      () => getRun(body.id),
      (r) => node(r, 'wait').status === 'running',
    )
    const canceled = await call<RunDetailJson>(server, owner, 'POST', `/api/v1/runs/${body.id}/cancel`)
    expect(canceled.status).toBe('canceled')
    expect(canceled.finishedAt).toEqual(expect.any(String))
    expect(canceled.nodes.map((n) => [n.nodeId, n.status])).toEqual([
      ['start', 'succeeded'],
      ['wait', 'canceled'],
      ['shout', 'canceled'],
      ['out', 'canceled'],
    ])
    const again = await call<RunDetailJson>(server, owner, 'POST', `/api/v1/runs/${body.id}/cancel`)
    expect(again).toEqual(canceled)

    const done = await postRun({ workflowId: hello }, '?wait=30')
    const unchanged = await call<RunDetailJson>(server, owner, 'POST', `/api/v1/runs/${done.body.id}/cancel`)
    expect(unchanged).toMatchObject({ status: 'succeeded', outputs: { message: 'Hello, World!' } })
  })
})

describe('organisations', () => {
  it('keeps runs to their organisation: another one’s answers 404 everywhere', async () => {
    const { body } = await postRun({ workflowId: hello }, '?wait=30')
    const paths: [string, string][] = [
      ['GET', `/api/v1/runs/${body.id}`],
      ['POST', `/api/v1/runs/${body.id}/cancel`],
      ['GET', `/api/v1/runs/${body.id}/events`],
    ]
    for (const [method, path] of paths) {
      const response = await server.fetch(path, { method, as: stranger })
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    }
    expect((await postRun({ workflowId: hello }, '', stranger)).status).toBe(404)
    expect((await postRun({ versionId: body.versionId }, '', stranger)).status).toBe(404)
    const theirs = await call<{ total: number }>(server, stranger, 'GET', '/api/v1/runs')
    expect(theirs.total).toBe(0)
    expect((await getRun(body.id)).status).toBe('succeeded')
  })
})

describe('rate limits', () => {
  it('limits how many runs a caller starts per minute', async () => {
    const limited = await startTestServer({ env: { PATCHBAY_RATE_LIMIT_RUNS: '2' } })
    try {
      const caller = { cookie: (await signUp(limited, { email: 'busy@example.com' })).cookie }
      const workflow = await call<{ id: string }>(limited, caller, 'POST', '/api/v1/workflows', helloWorkflow())
      const statuses: number[] = []
      let last: Response | undefined
      for (let i = 0; i < 3; i++) {
        last = await limited.fetch('/api/v1/runs', { method: 'POST', as: caller, json: { workflowId: workflow.id } })
        statuses.push(last.status)
      }
      expect(statuses).toEqual([201, 201, 429])
      expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
    } finally {
      await limited.close()
    }
  })
})
