import { DEFAULT_ORG_ID, type Role } from '@patchbay/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow, pngBytes, uploadForm } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Every route × every kind of caller → the status the API must answer. Callers address the
// default organisation explicitly (X-Patchbay-Org), as a multi-organisation user would.

type CallerName = 'anonymous' | 'otherOrg' | 'viewerKey' | Role
const callerNames: CallerName[] = ['anonymous', 'otherOrg', 'viewer', 'viewerKey', 'editor', 'admin', 'owner']

interface RouteCase {
  method: string
  /** The path and body; may create what it needs first (as the owner). */
  prepare(): Promise<{ path: string; body?: unknown; form?: FormData }>
  /** The weakest role allowed; `null`: any signed-in caller. */
  needs: Role | null
  /** What allowed callers get, when not a success (e.g. 409 for a feature this server's setup lacks). */
  allowed?: number
}

let server: TestServer
const callers = {} as Record<CallerName, Caller>
let owner: Caller
let counter = 0

beforeAll(async () => {
  server = await startTestServer()
  const ownerUser = await signUp(server, { email: 'owner@example.com' })
  owner = { cookie: ownerUser.cookie }
  callers.owner = owner
  callers.anonymous = 'anonymous'
  for (const role of ['viewer', 'editor', 'admin'] as const) {
    const user = await signUp(server, { email: `${role}@example.com` })
    await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: user.userId, role })
    callers[role] = { cookie: user.cookie }
  }
  callers.otherOrg = { cookie: (await signUp(server, { email: 'stranger@example.com' })).cookie }
  const key = await call<{ key: string }>(server, owner, 'POST', '/api/v1/api-keys', { name: 'ci', role: 'viewer' })
  callers.viewerKey = { apiKey: key.key }
}, 60_000)

afterAll(async () => {
  await server?.close()
})

async function workflowId(): Promise<string> {
  return (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow())).id
}

async function finishedRun(): Promise<{ id: string; versionId: string; workflowId: string }> {
  const id = await workflowId()
  const run = await call<{ id: string; versionId: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
    workflowId: id,
  })
  return { ...run, workflowId: id }
}

async function assetId(): Promise<string> {
  const response = await server.fetch('/api/v1/assets', {
    method: 'POST',
    as: owner,
    body: uploadForm(await pngBytes(4 + (counter++ % 50), 4), 'x.png'),
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function memberId(): Promise<string> {
  const user = await signUp(server, { email: `member-${counter++}@example.com` })
  await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: user.userId, role: 'viewer' })
  return user.userId
}

const routes: Record<string, RouteCase> = {
  'GET /me': { method: 'GET', needs: null, prepare: async () => ({ path: '/api/v1/me' }) },
  'GET /orgs': { method: 'GET', needs: null, prepare: async () => ({ path: '/api/v1/orgs' }) },
  'GET /orgs/current': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/orgs/current' }) },
  'PATCH /orgs/current': {
    method: 'PATCH',
    needs: 'admin',
    prepare: async () => ({ path: '/api/v1/orgs/current', body: { name: 'Default' } }),
  },
  'GET /members': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/members' }) },
  'PATCH /members/:id': {
    method: 'PATCH',
    needs: 'admin',
    prepare: async () => ({ path: `/api/v1/members/${await memberId()}`, body: { role: 'editor' } }),
  },
  'DELETE /members/:id': {
    method: 'DELETE',
    needs: 'admin',
    prepare: async () => ({ path: `/api/v1/members/${await memberId()}` }),
  },
  'GET /invitations': { method: 'GET', needs: 'admin', prepare: async () => ({ path: '/api/v1/invitations' }) },
  'POST /invitations': {
    method: 'POST',
    needs: 'admin',
    prepare: async () => ({
      path: '/api/v1/invitations',
      body: { email: `new-${counter++}@example.com`, role: 'viewer' },
    }),
  },
  'DELETE /invitations/:id': {
    method: 'DELETE',
    needs: 'admin',
    prepare: async () => {
      const invitation = await call<{ id: string }>(server, owner, 'POST', '/api/v1/invitations', {
        email: `revoke-${counter++}@example.com`,
        role: 'viewer',
      })
      return { path: `/api/v1/invitations/${invitation.id}` }
    },
  },
  'GET /workflows': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/workflows' }) },
  'POST /workflows': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => ({ path: '/api/v1/workflows', body: helloWorkflow() }),
  },
  'GET /workflows/:id': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/workflows/${await workflowId()}` }),
  },
  'PUT /workflows/:id': {
    method: 'PUT',
    needs: 'editor',
    prepare: async () => ({
      path: `/api/v1/workflows/${await workflowId()}`,
      body: { revision: 1, document: helloWorkflow('Renamed') },
    }),
  },
  'DELETE /workflows/:id': {
    method: 'DELETE',
    needs: 'editor',
    prepare: async () => ({ path: `/api/v1/workflows/${await workflowId()}` }),
  },
  'POST /workflows/:id/duplicate': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => ({ path: `/api/v1/workflows/${await workflowId()}/duplicate`, body: {} }),
  },
  'GET /workflows/:id/export': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/workflows/${await workflowId()}/export` }),
  },
  'GET /workflows/:id/versions': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/workflows/${(await finishedRun()).workflowId}/versions` }),
  },
  'GET /versions/:id': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/versions/${(await finishedRun()).versionId}` }),
  },
  'POST /workflows/:id/versions/:v/restore': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => {
      const run = await finishedRun()
      return { path: `/api/v1/workflows/${run.workflowId}/versions/${run.versionId}/restore`, body: { revision: 1 } }
    },
  },
  'GET /runs': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/runs' }) },
  'POST /runs': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => ({ path: '/api/v1/runs', body: { workflowId: await workflowId() } }),
  },
  'GET /runs/:id': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/runs/${(await finishedRun()).id}` }),
  },
  'POST /runs/:id/cancel': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => ({ path: `/api/v1/runs/${(await finishedRun()).id}/cancel` }),
  },
  'GET /runs/:id/events': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/runs/${(await finishedRun()).id}/events` }),
  },
  'GET /assets': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/assets' }) },
  'POST /assets': {
    method: 'POST',
    needs: 'editor',
    prepare: async () => ({
      path: '/api/v1/assets',
      form: uploadForm(await pngBytes(3, 3 + (counter++ % 40)), 'a.png'),
    }),
  },
  // Local storage takes no direct uploads (409); assets-s3.test.ts checks the success on S3.
  'POST /assets/uploads': {
    method: 'POST',
    needs: 'editor',
    allowed: 409,
    prepare: async () => ({
      path: '/api/v1/assets/uploads',
      body: { name: 'a.png', contentType: 'image/png', bytes: 9 },
    }),
  },
  'POST /assets/uploads/:id/complete': {
    method: 'POST',
    needs: 'editor',
    allowed: 409,
    prepare: async () => ({ path: '/api/v1/assets/uploads/upload.id/complete' }),
  },
  'GET /assets/:id': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/assets/${await assetId()}` }),
  },
  'GET /assets/:id/content': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: `/api/v1/assets/${await assetId()}/content` }),
  },
  'DELETE /assets/:id': {
    method: 'DELETE',
    needs: 'editor',
    prepare: async () => ({ path: `/api/v1/assets/${await assetId()}` }),
  },
  'GET /usage': {
    method: 'GET',
    needs: 'viewer',
    prepare: async () => ({ path: '/api/v1/usage?from=2030-01-01&to=2030-01-31' }),
  },
  'GET /nodes': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/nodes' }) },
  'GET /models': { method: 'GET', needs: 'viewer', prepare: async () => ({ path: '/api/v1/models' }) },
  'GET /credentials': { method: 'GET', needs: 'admin', prepare: async () => ({ path: '/api/v1/credentials' }) },
  'POST /credentials': {
    method: 'POST',
    needs: 'admin',
    prepare: async () => ({ path: '/api/v1/credentials', body: { name: `KEY_${counter++}`, value: 'secret-value-1' } }),
  },
  'GET /credentials/:id': {
    method: 'GET',
    needs: 'admin',
    prepare: async () => ({ path: `/api/v1/credentials/${await credentialId()}` }),
  },
  'PATCH /credentials/:id': {
    method: 'PATCH',
    needs: 'admin',
    prepare: async () => ({ path: `/api/v1/credentials/${await credentialId()}`, body: { description: 'rotated' } }),
  },
  'DELETE /credentials/:id': {
    method: 'DELETE',
    needs: 'admin',
    prepare: async () => ({ path: `/api/v1/credentials/${await credentialId()}` }),
  },
  'GET /api-keys': { method: 'GET', needs: 'admin', prepare: async () => ({ path: '/api/v1/api-keys' }) },
  'POST /api-keys': {
    method: 'POST',
    needs: 'admin',
    prepare: async () => ({ path: '/api/v1/api-keys', body: { name: 'script', role: 'viewer' } }),
  },
  'DELETE /api-keys/:id': {
    method: 'DELETE',
    needs: 'admin',
    prepare: async () => {
      const key = await call<{ id: string }>(server, owner, 'POST', '/api/v1/api-keys', { name: 'old', role: 'viewer' })
      return { path: `/api/v1/api-keys/${key.id}` }
    },
  },
}

async function credentialId(): Promise<string> {
  const body = { name: `CRED_${counter++}`, value: 'secret-value-2' }
  return (await call<{ id: string }>(server, owner, 'POST', '/api/v1/credentials', body)).id
}

const roleOf: Record<CallerName, Role | undefined> = {
  anonymous: undefined,
  otherOrg: undefined,
  viewer: 'viewer',
  viewerKey: 'viewer',
  editor: 'editor',
  admin: 'admin',
  owner: 'owner',
}
const rank: Role[] = ['viewer', 'editor', 'admin', 'owner']

function expectedStatus(route: RouteCase, caller: CallerName): 'ok' | number {
  if (caller === 'anonymous') return 401
  if (route.needs === null) return 'ok'
  if (caller === 'otherOrg') return 404
  return rank.indexOf(roleOf[caller]!) >= rank.indexOf(route.needs) ? (route.allowed ?? 'ok') : 403
}

describe('tenancy matrix', () => {
  for (const [name, route] of Object.entries(routes)) {
    it(name, async () => {
      const seen: Record<string, number> = {}
      const wanted: Record<string, number | 'ok'> = {}
      for (const caller of callerNames) {
        const { path, body, form } = await route.prepare()
        const response = await server.fetch(path, {
          method: route.method,
          as: callers[caller],
          headers: { 'x-patchbay-org': DEFAULT_ORG_ID },
          ...(body === undefined ? {} : { json: body }),
          ...(form ? { body: form } : {}),
        })
        await response.body?.cancel()
        const expected = expectedStatus(route, caller)
        wanted[caller] = expected
        seen[caller] = expected === 'ok' && response.status < 300 ? ('ok' as unknown as number) : response.status
      }
      expect(seen).toEqual(wanted)
    }, 60_000)
  }

  it('answers another organisation’s resources with 404 when the caller acts in their own', async () => {
    const stranger = callers.otherOrg
    const run = await finishedRun()
    const asset = await assetId()
    const credential = await credentialId()
    for (const path of [
      `/api/v1/workflows/${run.workflowId}`,
      `/api/v1/versions/${run.versionId}`,
      `/api/v1/runs/${run.id}`,
      `/api/v1/runs/${run.id}/events`,
      `/api/v1/assets/${asset}`,
      `/api/v1/assets/${asset}/content`,
      `/api/v1/credentials/${credential}`,
    ]) {
      const response = await server.fetch(path, { as: stranger })
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    }
  })
})
