import { DEFAULT_ORG_ID } from '@patchbay/db'
import { afterEach, describe, expect, it } from 'vitest'
import { call, helloWorkflow } from '../testing/fixtures.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Rate limits per address, per account and per organisation, and what /api/auth/* reveals.

const servers: TestServer[] = []

async function serverWith(env: NodeJS.ProcessEnv): Promise<TestServer> {
  const server = await startTestServer({ env })
  servers.push(server)
  return server
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

type ErrorJson = { error: { code: string; message: string; details?: { bucket?: string } } }

describe('sign-in and sign-up limits', () => {
  it('limits sign-in attempts per address whatever the email (password spraying)', async () => {
    const server = await serverWith({ PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ADDRESS: '30' })
    const statuses: number[] = []
    let last: Response | undefined
    for (let index = 0; index < 31; index++) {
      last = await server.fetch('/api/auth/sign-in/email', {
        method: 'POST',
        json: { email: `victim-${index}@example.com`, password: 'Summer2026!' },
      })
      statuses.push(last.status)
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true)
    expect(statuses[30]).toBe(429)
    const refused = last as Response
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as ErrorJson).error).toMatchObject({
      code: 'RATE_LIMITED',
      details: { bucket: 'signInPerAddress' },
    })
  }, 120_000)

  it('limits sign-in attempts per account from any address', async () => {
    const server = await serverWith({ PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ACCOUNT: '2' })
    // The test client has one address; the per-account bucket is keyed by the email alone, so
    // its refusal names that bucket while the per-address|email one (10) is far from spent.
    const attempt = () =>
      server.fetch('/api/auth/sign-in/email', {
        method: 'POST',
        json: { email: 'Target@Example.com', password: 'wrong password' },
      })
    expect([(await attempt()).status, (await attempt()).status]).toEqual([401, 401])
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(((await limited.json()) as ErrorJson).error.details?.bucket).toBe('signInPerAccount')
  }, 60_000)

  it('limits sign-ups per address', async () => {
    const server = await serverWith({ PATCHBAY_RATE_LIMIT_SIGN_UP: '3' })
    const statuses: number[] = []
    let last: Response | undefined
    for (let index = 0; index < 4; index++) {
      last = await server.fetch('/api/auth/sign-up/email', {
        method: 'POST',
        json: { email: `burst-${index}@example.com`, password: 'long enough password', name: 'B' },
      })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 429])
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await server.services.accounts.countUsers()).toBe(3)
  }, 60_000)
})

describe('what /api/auth/* reveals', () => {
  it('answers sign-up with an existing email like a new one: no USER_ALREADY_EXISTS, no session', async () => {
    const server = await serverWith({})
    const signUpAs = (email: string) =>
      server.fetch('/api/auth/sign-up/email', {
        method: 'POST',
        json: { email, password: 'another long password', name: 'Someone' },
      })
    const fresh = await signUpAs('new@example.com')
    const again = await signUpAs('NEW@example.com')
    for (const response of [fresh, again]) {
      expect(response.status).toBe(200)
      expect(response.headers.getSetCookie().join('')).not.toMatch(/session_token/)
    }
    const [freshBody, againBody] = [await fresh.text(), await again.text()]
    expect(againBody).not.toMatch(/ALREADY_EXISTS|already exists/i)
    const shape = (text: string) => Object.keys((JSON.parse(text) as { user: object }).user).sort()
    expect(shape(againBody)).toEqual(shape(freshBody))
    expect(await server.services.accounts.countUsers()).toBe(1)
  }, 60_000)

  it('answers an unknown auth route with a JSON 404', async () => {
    const server = await serverWith({})
    for (const method of ['GET', 'POST']) {
      const response = await server.fetch('/api/auth/nope', { method, ...(method === 'POST' ? { json: {} } : {}) })
      expect(response.status).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/application\/json/)
      expect(((await response.json()) as ErrorJson).error.code).toBe('NOT_FOUND')
    }
  }, 60_000)
})

describe('run budgets', () => {
  it('charges API keys to their creator, so minting keys does not multiply the run budget', async () => {
    const server = await serverWith({ PATCHBAY_RATE_LIMIT_RUNS: '3' })
    const owner = { cookie: (await signUp(server, { email: 'minter@example.com' })).cookie }
    const workflow = await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow())
    const keys: string[] = []
    for (const name of ['one', 'two', 'three']) {
      keys.push((await call<{ key: string }>(server, owner, 'POST', '/api/v1/api-keys', { name, role: 'editor' })).key)
    }
    const statuses: number[] = []
    for (const key of [...keys, ...keys]) {
      const response = await server.fetch('/api/v1/runs', {
        method: 'POST',
        as: { apiKey: key },
        json: { workflowId: workflow.id },
      })
      statuses.push(response.status)
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429])
    const session = await server.fetch('/api/v1/runs', { method: 'POST', as: owner, json: { workflowId: workflow.id } })
    expect(session.status).toBe(429)
  }, 60_000)

  it('limits the runs of a whole organisation', async () => {
    const server = await serverWith({ PATCHBAY_RATE_LIMIT_RUNS: '3', PATCHBAY_RATE_LIMIT_RUNS_PER_ORG: '4' })
    const owner = { cookie: (await signUp(server, { email: 'org-owner@example.com' })).cookie }
    const editor = await signUp(server, { email: 'org-editor@example.com' })
    await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: editor.userId, role: 'editor' })
    const workflow = await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow())
    const start = (cookie: string) =>
      server.fetch('/api/v1/runs', {
        method: 'POST',
        as: { cookie },
        headers: { 'x-patchbay-org': DEFAULT_ORG_ID },
        json: { workflowId: workflow.id },
      })
    const statuses: number[] = []
    for (let index = 0; index < 3; index++) statuses.push((await start(owner.cookie)).status)
    statuses.push((await start(editor.cookie)).status)
    const limited = await start(editor.cookie)
    statuses.push(limited.status)
    expect(statuses).toEqual([201, 201, 201, 201, 429])
    expect(((await limited.json()) as ErrorJson).error.details?.bucket).toBe('runsPerOrg')
  }, 60_000)
})
