import { DEFAULT_ORG_ID } from '@patchbay/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// A key never acts with more than its creator's current role, and dies with their membership.

let server: TestServer
let owner: Caller

beforeAll(async () => {
  server = await startTestServer()
  owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
}, 60_000)

afterAll(async () => {
  await server?.close()
})

const inDefaultOrg = { 'x-patchbay-org': DEFAULT_ORG_ID }

/** A member of the default organisation with `role`, signed in. */
async function member(email: string, role: 'viewer' | 'editor' | 'admin') {
  const user = await signUp(server, { email })
  await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: user.userId, role })
  return user
}

async function createKey(as: Caller, role: string, name = `${role} key`): Promise<string> {
  const response = await server.fetch('/api/v1/api-keys', {
    method: 'POST',
    as,
    headers: inDefaultOrg,
    json: { name, role },
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { key: string }).key
}

/** Every admin route, as `[method, path, body]`. */
const adminRoutes: [string, string, unknown][] = [
  ['GET', '/api/v1/credentials', undefined],
  ['GET', '/api/v1/api-keys', undefined],
  ['POST', '/api/v1/api-keys', { name: 'more', role: 'viewer' }],
  ['GET', '/api/v1/invitations', undefined],
  ['POST', '/api/v1/invitations', { email: 'friend@example.com', role: 'admin' }],
]

async function statusesOf(key: string, routes: [string, string, unknown][]): Promise<number[]> {
  const statuses: number[] = []
  for (const [method, path, json] of routes) {
    const response = await server.fetch(path, { method, as: { apiKey: key }, ...(json ? { json } : {}) })
    statuses.push(response.status)
  }
  return statuses
}

describe('API keys and their creator’s role', () => {
  it('caps a key at its creator’s current role: a demoted admin’s admin keys act as viewers', async () => {
    const admin = await member('admin-demoted@example.com', 'admin')
    const key = await createKey({ cookie: admin.cookie }, 'admin')
    // A key made with that key belongs to the same person.
    const child = await createKey({ apiKey: key }, 'admin')
    expect(await statusesOf(key, adminRoutes.slice(0, 2))).toEqual([200, 200])

    await call(server, owner, 'PATCH', `/api/v1/members/${admin.userId}`, { role: 'viewer' }, [200])

    for (const demoted of [key, child]) {
      expect(await statusesOf(demoted, adminRoutes)).toEqual([403, 403, 403, 403, 403])
      const write = await server.fetch('/api/v1/workflows', {
        method: 'POST',
        as: { apiKey: demoted },
        json: { schemaVersion: 1, name: 'x', nodes: [], edges: [] },
      })
      expect(write.status).toBe(403)
      // What a viewer may do still works, and the key reports the role it acts with.
      expect(await statusesOf(demoted, [['GET', '/api/v1/members', undefined]])).toEqual([200])
      const me = await call<{ organisations: { role: string }[] }>(server, { apiKey: demoted }, 'GET', '/api/v1/me')
      expect(me.organisations).toEqual([expect.objectContaining({ id: DEFAULT_ORG_ID, role: 'viewer' })])
    }

    // Promoted back, the key regains what it was made for, and never more.
    await call(server, owner, 'PATCH', `/api/v1/members/${admin.userId}`, { role: 'admin' }, [200])
    expect(await statusesOf(key, adminRoutes.slice(0, 1))).toEqual([200])
  })

  it('refuses every request of a removed member’s keys, which removal revokes', async () => {
    const admin = await member('admin-removed@example.com', 'admin')
    const key = await createKey({ cookie: admin.cookie }, 'admin', 'removed admin’s')
    const child = await createKey({ apiKey: key }, 'editor', 'removed admin’s child')
    await call(server, owner, 'PATCH', `/api/v1/members/${admin.userId}`, { role: 'viewer' }, [200])
    await call(server, owner, 'DELETE', `/api/v1/members/${admin.userId}`, undefined, [204])

    const everyRoute: [string, string, unknown][] = [...adminRoutes, ['GET', '/api/v1/members', undefined]]
    for (const removed of [key, child]) {
      expect(await statusesOf(removed, everyRoute)).toEqual(everyRoute.map(() => 401))
      const refused = await server.fetch('/api/v1/me', { as: { apiKey: removed } })
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INVALID_API_KEY')
    }
    const listed = await call<{ items: { name: string; revokedAt: string | null }[] }>(
      server,
      owner,
      'GET',
      '/api/v1/api-keys',
    )
    const theirs = listed.items.filter((item) => item.name.startsWith('removed admin’s'))
    expect(theirs).toHaveLength(2)
    expect(theirs.every((item) => item.revokedAt !== null)).toBe(true)
  })

  it('revokes the keys of a member who leaves', async () => {
    const leaver = await member('admin-leaving@example.com', 'admin')
    const adminKey = await createKey({ cookie: leaver.cookie }, 'editor')
    expect(await statusesOf(adminKey, [['GET', '/api/v1/members', undefined]])).toEqual([200])
    const left = await server.fetch(`/api/v1/members/${leaver.userId}`, {
      method: 'DELETE',
      as: { cookie: leaver.cookie },
      headers: inDefaultOrg,
    })
    expect(left.status).toBe(204)
    expect(await statusesOf(adminKey, [['GET', '/api/v1/members', undefined]])).toEqual([401])
  })
})
