import { DEFAULT_ORG_ID } from '@patchbay/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../testing/fixtures.ts'
import { sessionCookie, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

let server: TestServer
let owner: { cookie: string; userId: string }

beforeAll(async () => {
  server = await startTestServer({ env: { PATCHBAY_RATE_LIMIT_SIGN_IN: '3' } })
  owner = await signUp(server, { email: 'Owner@Example.com', name: 'Olive' })
}, 60_000)

afterAll(async () => {
  await server?.close()
})

describe('accounts', () => {
  it('signs up without a session, then signs in with an HTTP-only session cookie and no token in the body; the first account owns the default organisation', async () => {
    const credentials = { email: 'second@example.com', password: 'long enough password', name: 'Sam' }
    const signedUp = await server.fetch('/api/auth/sign-up/email', { method: 'POST', json: credentials })
    expect(signedUp.status).toBe(200)
    expect(signedUp.headers.getSetCookie().join('\n')).not.toMatch(/session_token/)
    const response = await server.fetch('/api/auth/sign-in/email', { method: 'POST', json: credentials })
    expect(response.status).toBe(200)
    const setCookie = response.headers.getSetCookie().join('\n')
    expect(setCookie).toMatch(/patchbay\.session_token=.*HttpOnly/i)
    for (const body of [await signedUp.json(), await response.json()]) expect(body).not.toHaveProperty('token')
    // The session token is the signed cookie's value before its signature.
    const cookie = sessionCookie(response)
    const token = decodeURIComponent(/session_token=([^;]+)/.exec(cookie)![1]!).split('.')[0]!
    expect(token.length).toBeGreaterThan(16)
    for (const path of ['/api/auth/get-session', '/api/auth/list-sessions']) {
      const sessions = await server.fetch(path, { as: { cookie } })
      expect(sessions.status).toBe(200)
      const text = await sessions.text()
      expect(text).toContain('userId')
      expect(text).not.toContain(token)
      expect(text).not.toMatch(/"token"/)
    }
    const me = await call<{ via: string; organisations: { id: string; role: string }[] }>(
      server,
      { cookie: owner.cookie },
      'GET',
      '/api/v1/me',
    )
    expect(me.via).toBe('session')
    expect(me.organisations).toEqual([expect.objectContaining({ id: DEFAULT_ORG_ID, role: 'owner' })])
    const second = await call<{ organisations: { id: string; role: string; name: string }[] }>(
      server,
      { cookie: sessionCookie(response) },
      'GET',
      '/api/v1/me',
    )
    expect(second.organisations).toEqual([expect.objectContaining({ role: 'owner', name: "Sam's workspace" })])
    expect(second.organisations[0]!.id).not.toBe(DEFAULT_ORG_ID)
  })

  it('answers a wrong password with 401 in the API’s error format, and rate-limits sign-in attempts', async () => {
    const attempt = () =>
      server.fetch('/api/auth/sign-in/email', {
        method: 'POST',
        json: { email: 'limited@example.com', password: 'wrong password', name: 'x' },
      })
    const first = await attempt()
    expect(first.status).toBe(401)
    expect(((await first.json()) as { error: { code: string } }).error.code).toMatch(/INVALID_EMAIL_OR_PASSWORD/)
    await attempt()
    await attempt()
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED')
  })

  it('signs in with the right password', async () => {
    const response = await server.fetch('/api/auth/sign-in/email', {
      method: 'POST',
      json: { email: 'owner@example.com', password: 'correct horse battery', name: 'Olive' },
    })
    expect(response.status).toBe(200)
    const me = await call<{ user: { email: string } }>(server, { cookie: sessionCookie(response) }, 'GET', '/api/v1/me')
    expect(me.user.email).toBe('owner@example.com')
  })

  it('invites, accepts once, and refuses a token used twice or by another email', async () => {
    const invitation = await call<{ token: string; url: string; status: string }>(
      server,
      { cookie: owner.cookie },
      'POST',
      '/api/v1/invitations',
      { email: 'Invitee@Example.com', role: 'editor' },
    )
    expect(invitation.status).toBe('pending')
    expect(invitation.url).toContain(invitation.token)
    const stranger = await signUp(server, { email: 'stranger2@example.com' })
    const wrong = await server.fetch('/api/v1/invitations/accept', {
      method: 'POST',
      as: { cookie: stranger.cookie },
      json: { token: invitation.token },
    })
    expect(wrong.status).toBe(404)
    const invitee = await signUp(server, { email: 'invitee@example.com' })
    const accepted = await call<{ orgId: string; role: string }>(
      server,
      { cookie: invitee.cookie },
      'POST',
      '/api/v1/invitations/accept',
      { token: invitation.token },
    )
    expect(accepted).toMatchObject({ orgId: DEFAULT_ORG_ID, role: 'editor' })
    const again = await server.fetch('/api/v1/invitations/accept', {
      method: 'POST',
      as: { cookie: invitee.cookie },
      json: { token: invitation.token },
    })
    expect(again.status).toBe(404)
    const listed = await call<{ items: { email: string; status: string }[] }>(
      server,
      { cookie: owner.cookie },
      'GET',
      '/api/v1/invitations',
    )
    expect(listed.items).toContainEqual(expect.objectContaining({ email: 'invitee@example.com', status: 'accepted' }))
    expect(JSON.stringify(listed)).not.toContain(invitation.token)
  })

  it('keeps ownership with owners and never leaves an organisation without one', async () => {
    const admin = await signUp(server, { email: 'admin-x@example.com' })
    await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: admin.userId, role: 'admin' })
    const asAdmin = { cookie: admin.cookie }
    const headers = { 'x-patchbay-org': DEFAULT_ORG_ID }
    const promote = await server.fetch(`/api/v1/members/${admin.userId}`, {
      method: 'PATCH',
      as: asAdmin,
      headers,
      json: { role: 'owner' },
    })
    expect(promote.status).toBe(403)
    const demoteOwner = await server.fetch(`/api/v1/members/${owner.userId}`, {
      method: 'PATCH',
      as: { cookie: owner.cookie },
      json: { role: 'admin' },
    })
    expect(demoteOwner.status).toBe(409)
    expect(((await demoteOwner.json()) as { error: { code: string } }).error.code).toBe('LAST_OWNER')
    const leave = await server.fetch(`/api/v1/members/${admin.userId}`, { method: 'DELETE', as: asAdmin, headers })
    expect(leave.status).toBe(204)
  })

  it('creates an API key shown once, authenticates with it, and refuses it once revoked', async () => {
    const created = await call<{ id: string; key: string; prefix: string; role: string }>(
      server,
      { cookie: owner.cookie },
      'POST',
      '/api/v1/api-keys',
      { name: 'deploy script', role: 'editor' },
    )
    expect(created.key).toMatch(/^pbk_[A-Za-z0-9_-]{43}$/)
    expect(created.key.startsWith(created.prefix)).toBe(true)
    const listed = await call(server, { cookie: owner.cookie }, 'GET', '/api/v1/api-keys')
    expect(JSON.stringify(listed)).not.toContain(created.key)
    const me = await call<{ via: string; organisations: { id: string; role: string }[] }>(
      server,
      { apiKey: created.key },
      'GET',
      '/api/v1/me',
    )
    expect(me).toMatchObject({ via: 'apiKey', organisations: [{ id: DEFAULT_ORG_ID, role: 'editor' }] })
    await call(server, { cookie: owner.cookie }, 'DELETE', `/api/v1/api-keys/${created.id}`, undefined, [204])
    const revoked = await server.fetch('/api/v1/me', { as: { apiKey: created.key } })
    expect(revoked.status).toBe(401)
    const bogus = await server.fetch('/api/v1/me', { headers: { authorization: 'Bearer nonsense' } })
    expect(bogus.status).toBe(401)
    expect(((await bogus.json()) as { error: { code: string } }).error.code).toBe('INVALID_API_KEY')
  })

  it('does not let a key be created with more rights than its creator', async () => {
    const editor = await signUp(server, { email: 'editor-x@example.com' })
    const response = await server.fetch('/api/v1/api-keys', {
      method: 'POST',
      as: { cookie: editor.cookie },
      json: { name: 'mine', role: 'owner' },
    })
    // An editor's own workspace makes them its owner, so this succeeds there; in the default
    // organisation, where they are an editor, creating keys is an admin's job.
    expect(response.status).toBe(201)
    await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: editor.userId, role: 'admin' })
    const escalate = await server.fetch('/api/v1/api-keys', {
      method: 'POST',
      as: { cookie: editor.cookie },
      headers: { 'x-patchbay-org': DEFAULT_ORG_ID },
      json: { name: 'mine', role: 'owner' },
    })
    expect(escalate.status).toBe(403)
  })
})

describe('protection', () => {
  it('refuses a cookie-authenticated write from another site, but not an API key’s', async () => {
    const evil = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      as: { cookie: owner.cookie },
      headers: { origin: 'https://evil.example' },
      json: { schemaVersion: 1, name: 'x', nodes: [] },
    })
    expect(evil.status).toBe(403)
    expect(((await evil.json()) as { error: { code: string } }).error.code).toBe('CROSS_SITE_REQUEST')
    const same = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      as: { cookie: owner.cookie },
      headers: { origin: server.url },
      json: { schemaVersion: 1, name: 'x', nodes: [] },
    })
    expect(same.status).toBe(201)
    const key = await call<{ key: string }>(server, { cookie: owner.cookie }, 'POST', '/api/v1/api-keys', {
      name: 'k',
      role: 'editor',
    })
    const scripted = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      as: { apiKey: key.key },
      headers: { origin: 'https://evil.example' },
      json: { schemaVersion: 1, name: 'x', nodes: [] },
    })
    expect(scripted.status).toBe(201)
  })

  it('answers CORS preflights only for trusted origins', async () => {
    const preflight = (origin: string) =>
      server.fetch('/api/v1/workflows', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      })
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
    const trusted = await preflight(server.url)
    expect(trusted.headers.get('access-control-allow-origin')).toBe(server.url)
    expect(trusted.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('sends security headers', async () => {
    const response = await server.fetch('/health')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })

  it('answers malformed JSON, wrong types and oversized bodies with 4xx JSON errors', async () => {
    const malformed = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      as: { cookie: owner.cookie },
      headers: { 'content-type': 'application/json' },
      body: '{"schemaVersion": 1, "name": ',
    })
    expect(malformed.status).toBe(400)
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBeTruthy()
    const wrongType = await server.fetch('/api/v1/api-keys', {
      method: 'POST',
      as: { cookie: owner.cookie },
      json: { name: 42, role: 'emperor' },
    })
    expect(wrongType.status).toBe(400)
    const body = (await wrongType.json()) as { error: { code: string; details: { issues: { path: string[] }[] } } }
    expect(body.error.code).toBe('INVALID_REQUEST')
    expect(body.error.details.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['name', 'role'])
    const small = await startTestServer({ env: { PATCHBAY_MAX_BODY_BYTES: '1000' } })
    try {
      const big = await small.fetch('/api/v1/workflows', {
        method: 'POST',
        json: { schemaVersion: 1, name: 'x'.repeat(5000), nodes: [] },
      })
      expect(big.status).toBe(413)
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE')
    } finally {
      await small.close()
    }
  })
})

describe('invitation-only sign-up', () => {
  it('creates accounts only for invited people once the first exists', async () => {
    const closed = await startTestServer({ env: { PATCHBAY_SIGNUP: 'invite' } })
    try {
      const first = await signUp(closed, { email: 'first@example.com' })
      const refused = await closed.fetch('/api/auth/sign-up/email', {
        method: 'POST',
        json: { email: 'walk-in@example.com', password: 'long enough password', name: 'W' },
      })
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SIGNUP_CLOSED')
      const invitation = await call<{ token: string }>(
        closed,
        { cookie: first.cookie },
        'POST',
        '/api/v1/invitations',
        {
          email: 'guest@example.com',
          role: 'viewer',
        },
      )
      const admitted = await closed.fetch(`/api/auth/sign-up/email?invitation=${invitation.token}`, {
        method: 'POST',
        json: { email: 'guest@example.com', password: 'long enough password', name: 'G' },
      })
      expect(admitted.status).toBe(200)
    } finally {
      await closed.close()
    }
  }, 60_000)
})
