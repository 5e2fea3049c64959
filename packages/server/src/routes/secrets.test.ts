import { startFakeOpenAI } from '@patchbay/providers/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chatWorkflow } from '../testing/fixtures.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Store a provider key in the vault, run a workflow that uses it, then look for the key in
// every API response and every log line: it must appear in neither.

const secret = 'sk-proj-VaultedSecret0123456789abcdefXYZ'
const operatorSecret = 'sk-operator-EnvironmentKey9876543210zz'

let fake: Awaited<ReturnType<typeof startFakeOpenAI>>
let server: TestServer
const responses: string[] = []

/** Calls the API and keeps the raw response text for the leak search. */
async function recorded<T>(as: { cookie: string }, method: string, path: string, json?: unknown): Promise<T> {
  const response = await server.fetch(path, { method, as, ...(json === undefined ? {} : { json }) })
  const text = await response.text()
  responses.push(`${method} ${path} ${response.status} ${[...response.headers].join(' ')}\n${text}`)
  const isJson = response.headers.get('content-type')?.includes('application/json')
  return (isJson ? JSON.parse(text) : text) as T
}

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: null })
  server = await startTestServer({
    providerEnv: { OPENAI_BASE_URL: `${fake.url}/v1`, OPENAI_API_KEY: operatorSecret },
  })
}, 60_000)

afterAll(async () => {
  await server?.close()
  await fake?.close()
})

describe('secrets', () => {
  it('uses a vaulted key inside a node run and never shows it in an API response or a log line', async () => {
    const owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
    const member = await signUp(server, { email: 'other@example.com' })
    const other = { cookie: member.cookie }
    // The other organisation stores the key; the default one keeps using the operator's.
    const credential = await recorded<{ id: string; name: string; usedBy: string[] }>(
      other,
      'POST',
      '/api/v1/credentials',
      {
        name: 'OPENAI_API_KEY',
        value: secret,
        description: 'team key',
      },
    )
    expect(credential).toMatchObject({ name: 'OPENAI_API_KEY', usedBy: ['openai'] })
    const workflow = await recorded<{ id: string }>(other, 'POST', '/api/v1/workflows', chatWorkflow('Vaulted'))
    const run = await recorded<{ id: string; status: string; outputs: { reply: string } }>(
      other,
      'POST',
      '/api/v1/runs?wait=30',
      { workflowId: workflow.id },
    )
    expect(run.status).toBe('succeeded')
    expect(run.outputs.reply).toContain('Say hello')
    const sent = fake.requests.map((request) => request.headers.authorization)
    expect(sent).toEqual([`Bearer ${secret}`])

    await recorded(other, 'GET', `/api/v1/runs/${run.id}`)
    await recorded(other, 'GET', `/api/v1/runs/${run.id}/events`)
    await recorded(other, 'GET', '/api/v1/credentials')
    await recorded(other, 'GET', `/api/v1/credentials/${credential.id}`)
    await recorded(other, 'PATCH', `/api/v1/credentials/${credential.id}`, { value: `${secret}-v2` })
    await recorded(other, 'GET', '/api/v1/models')
    await recorded(other, 'GET', '/api/v1/me')

    // The default organisation runs on the operator's environment key, not the other's vault.
    const mine = await recorded<{ id: string }>(owner, 'POST', '/api/v1/workflows', chatWorkflow('Operator'))
    const ownRun = await recorded<{ status: string }>(owner, 'POST', '/api/v1/runs?wait=30', { workflowId: mine.id })
    expect(ownRun.status).toBe('succeeded')
    expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${operatorSecret}`)

    // A third organisation has neither: its run fails on the missing credential.
    const third = { cookie: (await signUp(server, { email: 'third@example.com' })).cookie }
    const theirs = await recorded<{ id: string }>(third, 'POST', '/api/v1/workflows', chatWorkflow('Nothing'))
    const denied = await server.fetch('/api/v1/runs?wait=30', {
      method: 'POST',
      as: third,
      json: { workflowId: theirs.id },
    })
    const deniedText = await denied.text()
    responses.push(deniedText)
    // Refused before anything runs, naming what is missing.
    expect(denied.status).toBe(400)
    expect(JSON.parse(deniedText).error.details.issues).toEqual([
      expect.objectContaining({
        code: 'MISSING_CREDENTIAL',
        nodeId: 'chat',
        message: expect.stringContaining('OPENAI_API_KEY'),
      }),
    ])

    server.services.logger.info('a node echoed its key', { header: `Bearer ${secret}`, nested: { key: secret } })
    server.services.logger.error(`provider said: invalid key ${secret}-v2`)
    const everything = [...responses, ...server.logs].join('\n')
    expect(server.logs.length).toBeGreaterThan(0)
    for (const value of [secret, `${secret}-v2`, operatorSecret]) expect(everything).not.toContain(value)
  }, 60_000)
})
