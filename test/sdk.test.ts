import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Workflow } from '@patchbay/core'
import { pngBytes } from '@patchbay/providers/testing'
import { ApiError, createClient, type PatchbayClient, type RunEvent } from '@patchbay/sdk'
import { startTestServer, type TestServer } from '@patchbay/server/testing'
import { startS3ForTests } from '@patchbay/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from './support/child-process.ts'

// The SDK against a real server: every resource it covers, errors as ApiError with the
// server's code, and every path it calls documented in /api/v1/openapi.json.

interface Call {
  method: string
  path: string
}

/** A `fetch` that keeps cookies (like a browser would) and records every request the SDK makes. */
function recordingFetch(calls: Call[]): typeof fetch {
  let cookie = ''
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    calls.push({ method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname })
    const headers = new Headers(init?.headers)
    if (cookie) headers.set('cookie', cookie)
    const response = await fetch(url, { ...init, headers })
    const set = response.headers.getSetCookie()
    if (set.length > 0) cookie = set.map((line) => line.split(';')[0]).join('; ')
    return response
  }
}

/** The rejection of `promise`, which must be an ApiError. */
async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    return error as ApiError
  }
  throw new Error('expected the call to fail with an ApiError')
}

async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const out: RunEvent[] = []
  for await (const event of events) out.push(event)
  return out
}

const hello = {
  schemaVersion: 1,
  name: 'SDK hello',
  inputs: { name: { type: 'text', default: 'World' } },
  nodes: [
    { id: 'greeting', type: 'text.template', params: { template: 'Hello, {{inputs.name}}!' } },
    { id: 'message', type: 'output', params: { name: 'message' } },
  ],
  edges: [{ id: 'e1', source: 'greeting', sourceHandle: 'text', target: 'message', targetHandle: 'value' }],
} as unknown as Workflow
const slow = {
  schemaVersion: 1,
  name: 'SDK slow',
  nodes: [
    { id: 'start', type: 'input.text', params: { value: 'x' } },
    { id: 'wait', type: 'util.wait', params: { ms: 600 } },
    { id: 'out', type: 'output', params: { name: 'value' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'text', target: 'wait', targetHandle: 'value' },
    { id: 'e2', source: 'wait', sourceHandle: 'value', target: 'out', targetHandle: 'value' },
  ],
} as unknown as Workflow
const verySlow = {
  ...slow,
  name: 'SDK very slow',
  nodes: slow.nodes.map((node) => (node.id === 'wait' ? { ...node, params: { ms: 30_000 } } : node)),
} as unknown as Workflow

let server: TestServer
const calls: Call[] = []
/** Signed in with a session cookie (through the SDK's auth methods). */
let session: PatchbayClient
/** Acting with an editor API key. */
let api: PatchbayClient
let keyId: string

beforeAll(async () => {
  server = await startTestServer()
  session = createClient({ baseUrl: server.url, fetch: recordingFetch(calls) })
  const email = 'sdk-owner@example.com'
  const { user } = await session.auth.signUp({ email, password: 'correct horse battery', name: 'SDK owner' })
  expect(user.email).toBe(email)
  const created = await session.apiKeys.create({ name: 'sdk test', role: 'editor' })
  expect(created.key).toMatch(/^pbk_/)
  keyId = created.id
  api = createClient({ baseUrl: `${server.url}/`, apiKey: created.key, fetch: recordingFetch(calls) })
})
afterAll(async () => {
  await server?.close()
})

describe('SDK against a real server', () => {
  it('signs in and out with a session cookie and knows who it is', async () => {
    const me = await session.me()
    expect(me.via).toBe('session')
    expect(me.user?.email).toBe('sdk-owner@example.com')
    expect(me.organisations[0]?.role).toBe('owner')
    expect((await api.me()).via).toBe('apiKey')

    const other = createClient({ baseUrl: server.url, fetch: recordingFetch(calls) })
    await other.auth.signIn({ email: 'sdk-owner@example.com', password: 'correct horse battery' })
    expect((await other.me()).via).toBe('session')
    await other.auth.signOut()
    const out = await apiError(other.me())
    expect({ status: out.status, code: out.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' })
    const wrong = await apiError(other.auth.signIn({ email: 'sdk-owner@example.com', password: 'wrong password!' }))
    expect(wrong.status).toBe(401)
  })

  it('creates, reads, lists, updates, duplicates, exports and deletes workflows; a stale revision is a 409', async () => {
    const created = await api.workflows.create(hello)
    expect(created).toMatchObject({ name: 'SDK hello', revision: 1, issues: [] })
    expect((await api.workflows.get(created.id)).document.nodes).toHaveLength(2)
    const listed = await api.workflows.list({ search: 'SDK hello' })
    expect(listed.items.map((item) => item.id)).toContain(created.id)

    const renamed = await api.workflows.update(created.id, 1, { ...created.document, name: 'SDK hello 2' })
    expect(renamed).toMatchObject({ revision: 2, name: 'SDK hello 2' })
    const stale = await apiError(api.workflows.update(created.id, 1, { ...created.document, name: 'lost update' }))
    expect({ status: stale.status, code: stale.code }).toEqual({ status: 409, code: 'STALE_REVISION' })
    expect((stale.details as { workflow: { revision: number; name: string } }).workflow).toMatchObject({
      revision: 2,
      name: 'SDK hello 2',
    })

    const copy = await api.workflows.duplicate(created.id, 'SDK copy')
    expect(copy.id).not.toBe(created.id)
    expect(copy.name).toBe('SDK copy')
    expect((await api.workflows.export(created.id)).name).toBe('SDK hello 2')
    await api.workflows.remove(copy.id)
    const gone = await apiError(api.workflows.get(copy.id))
    expect({ status: gone.status, code: gone.code }).toEqual({ status: 404, code: 'NOT_FOUND' })
  })

  it('answers a bad request with the same ApiError code the server sends', async () => {
    const viaSdk = await apiError(api.workflows.create({ schemaVersion: 1, name: 42 }))
    const raw = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      json: { schemaVersion: 1, name: 42 },
      as: { cookie: '' },
      headers: { authorization: `Bearer ${(await session.apiKeys.create({ name: 'raw' })).key}` },
    })
    const body = (await raw.json()) as { error: { code: string; message: string } }
    expect(viaSdk.status).toBe(raw.status)
    expect(viaSdk.status).toBeGreaterThanOrEqual(400)
    expect(viaSdk.code).toBe(body.error.code)
    expect(viaSdk.message).toBe(body.error.message)
  })

  it('starts a run and waits for it, lists and gets runs, versions, and restores a version', async () => {
    const workflow = await api.workflows.create(hello)
    const run = await api.runs.start({ workflowId: workflow.id, inputs: { name: 'SDK' } }, { wait: 30 })
    expect(run.status).toBe('succeeded')
    expect(run.outputs).toEqual({ message: 'Hello, SDK!' })
    const detail = await api.runs.get(run.id)
    expect(detail.nodes.map((node) => [node.nodeId, node.status]).sort()).toEqual([
      ['greeting', 'succeeded'],
      ['message', 'succeeded'],
    ])
    expect((await api.runs.list({ workflowId: workflow.id })).items.map((item) => item.id)).toEqual([run.id])

    const version = await api.versions.get(run.versionId)
    expect(version.document.name).toBe('SDK hello')
    expect((await api.workflows.versions(workflow.id)).items.map((item) => item.id)).toContain(run.versionId)
    const edited = await api.workflows.update(workflow.id, workflow.revision, { ...workflow.document, name: 'edited' })
    const restored = await api.workflows.restore(workflow.id, run.versionId, edited.revision)
    expect(restored).toMatchObject({ name: 'SDK hello', revision: edited.revision + 1 })

    const missing = await apiError(api.runs.start({ workflowId: 'no-such-workflow' }))
    expect(missing.status).toBe(404)
  })

  it('follows a live run to run.finished, and resumes after a given event', async () => {
    const workflow = await api.workflows.create(slow)
    const started = await api.runs.start({ workflowId: workflow.id })
    expect(['queued', 'running']).toContain(started.status)
    const events = await collect(api.runs.events(started.id))
    const seqs = events.map((event) => event.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(seqs).size).toBe(seqs.length)
    expect(events[0]?.type).toBe('run.started')
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' })
    expect(events.some((event) => event.type === 'node.succeeded' && event.nodeId === 'wait')).toBe(true)

    // Resuming from the middle gives exactly the rest.
    const middle = seqs[Math.floor(seqs.length / 2)] as number
    const rest = await collect(api.runs.events(started.id, { after: middle }))
    expect(rest.map((event) => event.seq)).toEqual(seqs.filter((seq) => seq > middle))
  })

  it('hears the organisation stream and cancels a run', async () => {
    const workflow = await api.workflows.create(verySlow)
    const controller = new AbortController()
    const heard: RunEvent[] = []
    const listening = (async () => {
      try {
        for await (const event of api.events(controller.signal)) {
          heard.push(event)
          if (event.type === 'run.finished') break
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error
      }
    })()
    // The stream subscribes when the response starts; give it a moment before the run begins.
    await new Promise((resolve) => setTimeout(resolve, 300))
    const run = await api.runs.start({ workflowId: workflow.id })
    await expect
      .poll(async () => (await api.runs.get(run.id)).nodes.find((n) => n.nodeId === 'wait')?.status, {
        timeout: 10_000,
      })
      .toBe('running')
    const canceled = await api.runs.cancel(run.id)
    expect(['canceled', 'running']).toContain(canceled.status)
    await expect.poll(async () => (await api.runs.get(run.id)).status, { timeout: 10_000 }).toBe('canceled')
    await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 5_000))])
    controller.abort()
    await listening
    expect(heard.some((event) => event.runId === run.id)).toBe(true)
  })

  it('uploads, gets, lists and removes assets', async () => {
    const png = await pngBytes({ width: 12, height: 7 })
    const asset = await api.assets.upload(new Blob([new Uint8Array(png)], { type: 'image/png' }), 'dot.png')
    expect(asset).toMatchObject({ kind: 'image', mime: 'image/png', width: 12, height: 7, name: 'dot.png' })
    expect(await api.assets.get(asset.id)).toMatchObject({ id: asset.id, sha256: asset.sha256 })
    const content = await fetch(new URL(asset.url, server.url))
    expect(content.status).toBe(200)
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(png))).toBe(true)
    expect((await api.assets.list({ kind: 'image' })).items.map((item) => item.id)).toContain(asset.id)
    await api.assets.remove(asset.id)
    expect((await apiError(api.assets.get(asset.id))).code).toBe('NOT_FOUND')
    const refused = await apiError(api.assets.upload(new Blob(['<svg/>'], { type: 'image/svg+xml' }), 'x.svg'))
    expect(refused.status).toBe(415)
  })

  it('is told to upload through the server when assets are on local disk', async () => {
    const request = { name: 'dot.png', contentType: 'image/png', bytes: 100 }
    const refused = await apiError(api.assets.createUpload(request))
    expect({ status: refused.status, code: refused.code }).toEqual({
      status: 409,
      code: 'PRESIGNED_UPLOADS_UNAVAILABLE',
    })
    expect((await apiError(api.assets.completeUpload('upload.id'))).code).toBe('PRESIGNED_UPLOADS_UNAVAILABLE')
  })

  it('reads the node and model catalogs', async () => {
    const nodes = await api.catalog.nodes()
    expect(nodes.items.map((node) => node.type)).toEqual(expect.arrayContaining(['text.template', 'llm.chat']))
    const models = await api.catalog.models({ capability: 'chat' })
    expect(models.providers.length).toBeGreaterThan(0)
    expect(models.models.every((model) => model.capabilities.includes('chat'))).toBe(true)
  })

  it('reads usage for the last 30 days or a period; a reversed period is a 400', async () => {
    const today = new Date().toISOString().slice(0, 10)
    const recent = await api.usage.get()
    expect(recent).toMatchObject({ to: today })
    expect(recent.days).toHaveLength(30)
    expect(recent.runs.total).toBeGreaterThan(0)
    expect(recent.workflows.map((row) => row.name)).toContain('SDK hello')
    const past = await api.usage.get({ from: '2020-01-01', to: '2020-01-07' })
    expect(past).toMatchObject({ from: '2020-01-01', to: '2020-01-07', cost: 0, runs: { total: 0 }, models: [] })
    const reversed = await apiError(api.usage.get({ from: '2020-01-07', to: '2020-01-01' }))
    expect({ status: reversed.status, code: reversed.code }).toEqual({ status: 400, code: 'INVALID_REQUEST' })
  })

  it('keeps credentials write-only and rejects a duplicate name', async () => {
    const secret = 'sk-sdk-test-secret-value'
    const created = await session.credentials.create({ name: 'SDK_TEST_KEY', value: secret, description: 'for tests' })
    expect(JSON.stringify(created)).not.toContain(secret)
    const listed = await session.credentials.list()
    expect(listed.items.map((item) => item.name)).toContain('SDK_TEST_KEY')
    expect(JSON.stringify(listed)).not.toContain(secret)
    const updated = await session.credentials.update(created.id, { description: 'rotated', value: 'sk-new' })
    expect(updated.description).toBe('rotated')
    const duplicate = await apiError(session.credentials.create({ name: 'SDK_TEST_KEY', value: 'x' }))
    expect(duplicate.status).toBe(409)
    const invalid = await apiError(session.credentials.create({ name: 'lower case', value: 'x' }))
    expect(invalid.status).toBe(400)
    await session.credentials.remove(created.id)
    expect((await session.credentials.list()).items.map((item) => item.name)).not.toContain('SDK_TEST_KEY')
  })

  it('lists and revokes API keys; a revoked key is refused', async () => {
    const spare = await session.apiKeys.create({ name: 'spare', role: 'viewer', expiresInDays: 1 })
    const listed = await session.apiKeys.list()
    expect(listed.items.map((item) => item.id)).toEqual(expect.arrayContaining([keyId, spare.id]))
    expect(JSON.stringify(listed)).not.toContain(spare.key)
    const viewer = createClient({ baseUrl: server.url, apiKey: spare.key, fetch: recordingFetch(calls) })
    const forbidden = await apiError(viewer.workflows.create(hello))
    expect(forbidden.status).toBe(403)
    await session.apiKeys.revoke(spare.id)
    const revoked = await apiError(viewer.workflows.list())
    expect({ status: revoked.status, code: revoked.code }).toEqual({ status: 401, code: 'INVALID_API_KEY' })
  })

  it('manages the organisation, members and invitations', async () => {
    const current = await session.orgs.current()
    expect(current.role).toBe('owner')
    expect((await session.orgs.rename('SDK org')).name).toBe('SDK org')
    expect((await session.orgs.list()).items.map((org) => org.id)).toContain(current.id)
    const members = await session.members.list()
    expect(members.items.map((member) => member.email)).toEqual(['sdk-owner@example.com'])

    const invitation = await session.invitations.create('friend@example.com', 'viewer')
    expect(invitation.token).toBeTruthy()
    expect((await session.invitations.list()).items.map((item) => item.id)).toContain(invitation.id)
    const friend = createClient({ baseUrl: server.url, fetch: recordingFetch(calls) })
    await friend.auth.signUp({ email: 'friend@example.com', password: 'correct horse battery', name: 'Friend' })
    const accepted = await friend.invitations.accept(invitation.token)
    expect(accepted).toMatchObject({ orgId: current.id, role: 'viewer' })
    friend.setOrg(current.id)
    expect((await friend.orgs.current()).role).toBe('viewer')
    const member = await session.members.setRole(accepted.userId, 'editor')
    expect(member.role).toBe('editor')
    await session.members.remove(accepted.userId)
    expect((await apiError(friend.orgs.current())).status).toBeGreaterThanOrEqual(403)

    const other = await session.invitations.create('nobody@example.com', 'editor')
    await session.invitations.revoke(other.id)
    const team = await session.orgs.create('Second org')
    expect(team.role).toBe('owner')
  })
})

const s3 = await startS3ForTests('SDK direct uploads on S3 storage')

describe.skipIf(!s3)('SDK direct uploads on S3 storage', () => {
  let s3Server: TestServer
  let client: PatchbayClient
  beforeAll(async () => {
    s3Server = await startTestServer({ env: s3!.env() })
    client = createClient({ baseUrl: s3Server.url, fetch: recordingFetch(calls) })
    await client.auth.signUp({ email: 'sdk-s3@example.com', password: 'correct horse battery', name: 'SDK S3' })
  })
  afterAll(async () => {
    await s3Server?.close()
    await s3?.close()
  })

  it('creates an upload, PUTs the file to the bucket and completes it into an asset', async () => {
    const png = new Uint8Array(await pngBytes({ width: 6, height: 5 }))
    const upload = await client.assets.createUpload({ name: 'direct.png', contentType: 'image/png', bytes: png.length })
    expect(upload.url.startsWith(s3!.endpoint)).toBe(true)
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: png })
    expect(put.status).toBe(200)
    const asset = await client.assets.completeUpload(upload.uploadId)
    expect(asset).toMatchObject({ kind: 'image', mime: 'image/png', width: 6, height: 5, name: 'direct.png' })
    const content = await fetch(asset.url)
    expect(Buffer.from(await content.arrayBuffer()).equals(Buffer.from(png))).toBe(true)
    expect((await apiError(client.assets.completeUpload(upload.uploadId))).code).toBe('NOT_FOUND')
  })
})

describe('SDK paths are documented', () => {
  let documented: { method: string; pattern: RegExp; path: string }[]
  beforeAll(async () => {
    const doc = (await (await server.fetch('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    documented = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
    )
  })

  it('every request the tests above made through the SDK is in openapi.json (auth is better-auth’s)', () => {
    const undocumented = calls.filter(
      (call) =>
        !call.path.startsWith('/api/auth/') &&
        !documented.some((entry) => entry.method === call.method && entry.pattern.test(call.path)),
    )
    expect(calls.length).toBeGreaterThan(40)
    expect(undocumented).toEqual([])
  })

  it('every /api/v1 path written in the SDK’s source is in openapi.json', async () => {
    const source = await readFile(join(repoRoot, 'packages/sdk/src/client.ts'), 'utf8')
    const written = [...source.matchAll(/v1\(\s*[`'"]([^`'"]+)[`'"]/g)].map((match) =>
      `/api/v1${match[1]}`.replace(/\$\{[^}]+\}/g, 'x'),
    )
    expect(written.length).toBeGreaterThan(25)
    const missing = written.filter((path) => !documented.some((entry) => entry.pattern.test(path)))
    expect(missing).toEqual([])
    // And the other way: what the SDK exercised covers each of those paths.
    const exercised = written.filter((path) => {
      const entry = documented.find((candidate) => candidate.pattern.test(path))
      return calls.some((call) => entry?.pattern.test(call.path))
    })
    expect(exercised).toEqual(written)
  })
})
