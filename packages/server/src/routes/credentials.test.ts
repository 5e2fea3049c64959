import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'
import { MAX_CREDENTIALS_PER_ORG } from './credentials.ts'

const perMinute = 3

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ env: { PATCHBAY_RATE_LIMIT_CREDENTIALS: String(perMinute) } })
}, 60_000)

afterAll(async () => {
  await server?.close()
})

async function owner(email: string): Promise<{ as: Caller; orgId: string }> {
  const as = { cookie: (await signUp(server, { email })).cookie }
  const me = await call<{ organisations: { id: string }[] }>(server, as, 'GET', '/api/v1/me')
  const orgId = me.organisations[0]?.id
  if (!orgId) throw new Error(`${email} has no organisation`)
  return { as, orgId }
}

async function refusal(as: Caller, method: string, path: string, json: unknown) {
  const response = await server.fetch(path, { method, as, json })
  return { status: response.status, body: (await response.json()) as { error: { code: string; details?: unknown } } }
}

describe('credential limits', () => {
  it(`refuses a credential beyond ${MAX_CREDENTIALS_PER_ORG} in one organisation, and only there`, async () => {
    const full = await owner('full@example.com')
    const other = await owner('other@example.com')
    // The organisation already holds the most it may (stored directly: the API would rate limit this).
    for (let index = 0; index < MAX_CREDENTIALS_PER_ORG; index++) {
      const id = randomUUID()
      const now = new Date()
      await server.services.accounts.createCredential({
        id,
        orgId: full.orgId,
        name: `KEY_${index}`,
        description: null,
        ...server.services.vault.seal({ orgId: full.orgId, id }, `value-${index}`),
        createdBy: null,
        createdAt: now,
        updatedAt: now,
      })
    }
    const refused = await refusal(full.as, 'POST', '/api/v1/credentials', { name: 'ONE_MORE', value: 'v-123456' })
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'CREDENTIAL_LIMIT' } } })
    expect(await server.services.accounts.getCredentialByName(full.orgId, 'ONE_MORE')).toBeUndefined()
    // Another organisation is not affected.
    await call(server, other.as, 'POST', '/api/v1/credentials', { name: 'MINE', value: 'v-123456' })
  })

  it(`limits creations and updates to ${perMinute} a minute per organisation`, async () => {
    const busy = await owner('busy@example.com')
    const created = await call<{ id: string }>(server, busy.as, 'POST', '/api/v1/credentials', {
      name: 'FIRST',
      value: 'value-1',
    })
    await call(server, busy.as, 'PATCH', `/api/v1/credentials/${created.id}`, { value: 'value-2' })
    await call(server, busy.as, 'POST', '/api/v1/credentials', { name: 'SECOND', value: 'value-3' })
    const refused = await refusal(busy.as, 'POST', '/api/v1/credentials', { name: 'THIRD', value: 'value-4' })
    expect(refused).toMatchObject({
      status: 429,
      body: { error: { code: 'RATE_LIMITED', details: { bucket: 'credentials' } } },
    })
    const update = await refusal(busy.as, 'PATCH', `/api/v1/credentials/${created.id}`, { value: 'value-5' })
    expect(update.status).toBe(429)
  })

  it.each([
    ['a NUL character', 'abc\u0000defghi'],
    ['a lone high surrogate', 'abc\uD800defghi'],
    ['a lone low surrogate', 'abc\uDC00defghi'],
  ])('answers 400 INVALID_TEXT to a value with %s', async (_, value) => {
    const writer = await owner(`writer-${value.codePointAt(3)}@example.com`)
    const created = await refusal(writer.as, 'POST', '/api/v1/credentials', { name: 'ODD', value })
    expect(created).toMatchObject({ status: 400, body: { error: { code: 'INVALID_TEXT' } } })
    const described = await refusal(writer.as, 'POST', '/api/v1/credentials', {
      name: 'ODD',
      value: 'fine-value',
      description: value,
    })
    expect(described).toMatchObject({ status: 400, body: { error: { code: 'INVALID_TEXT' } } })
    const { id } = await call<{ id: string }>(server, writer.as, 'POST', '/api/v1/credentials', {
      name: 'FINE',
      value: 'fine-value',
    })
    const updated = await refusal(writer.as, 'PATCH', `/api/v1/credentials/${id}`, { value })
    expect(updated).toMatchObject({ status: 400, body: { error: { code: 'INVALID_TEXT' } } })
    // A paired surrogate (an emoji) is ordinary text.
    await call(server, writer.as, 'PATCH', `/api/v1/credentials/${id}`, { description: 'key 🔑' })
  })
})
