import type { RunEvent } from '@patchbay/core'
import { sendJson, startLoopbackServer } from '@patchbay/providers/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunJson } from '../runs/run-json.ts'
import { openEvents } from '../runs/testing.ts'
import { call, chatWorkflow } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// An OpenAI-compatible proxy that quotes the key it was given in its error text (real ones do:
// `Incorrect API key provided: sk-…`). The key has no shape the log redactor knows, so only
// the attempt's secret scope can keep it out of what the server returns, streams, stores and logs.

const marker = 'EchoMarker'
const key = `pxy-${marker}-7f3a9c2e4b1d8f6a0c5e`

let proxy: Awaited<ReturnType<typeof startLoopbackServer>>
let server: TestServer
let tenant: Caller

beforeAll(async () => {
  proxy = await startLoopbackServer((request, response) => {
    const given = (request.headers.authorization ?? '').replace(/^Bearer /, '')
    // First a retryable failure (the engine logs it and retries), then the refusal.
    if (proxy.requests.length === 1) {
      sendJson(response, 500, { error: { message: `upstream rejected ${given} (${encodeURIComponent(given)})` } })
      return
    }
    sendJson(response, 401, {
      error: {
        message: `Incorrect API key provided: ${given}`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    })
  })
  server = await startTestServer({ providerEnv: { OPENAI_BASE_URL: `${proxy.url}/v1` } })
  await signUp(server, { email: 'operator@example.com' })
  // A self-registered user: the owner of an organisation of their own.
  tenant = { cookie: (await signUp(server, { email: 'tenant@example.com' })).cookie }
}, 60_000)

afterAll(async () => {
  await server?.close()
  await proxy?.close()
})

describe('a provider that echoes the key', () => {
  it('never shows it in an API response, an SSE event, a stored row or a log line', async () => {
    await call(server, tenant, 'POST', '/api/v1/credentials', { name: 'OPENAI_API_KEY', value: key })
    const workflow = await call<{ id: string }>(server, tenant, 'POST', '/api/v1/workflows', chatWorkflow('Echo'))
    const live = await openEvents(server, '/api/v1/events', tenant)
    const run = await call<RunJson>(server, tenant, 'POST', '/api/v1/runs?wait=60', { workflowId: workflow.id })
    const liveEvents = (await live.read((events) => events.some((event) => event.type === 'run.finished'))).events
    live.close()
    const replay = await openEvents(server, `/api/v1/runs/${run.id}/events`, tenant)
    const replayed = (await replay.read((events) => events.some((event) => event.type === 'run.finished'))).events
    replay.close()

    // The proxy did receive the key, and quoted it back twice.
    expect(proxy.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${key}`, `Bearer ${key}`])
    expect(run.status).toBe('failed')

    const responses = [
      JSON.stringify(run),
      await (await server.fetch('/api/v1/runs', { as: tenant })).text(),
      await (await server.fetch(`/api/v1/runs/${run.id}`, { as: tenant })).text(),
    ]
    const { store } = server.services.runtime
    const me = await call<{ organisations: { id: string }[] }>(server, tenant, 'GET', '/api/v1/me')
    const storedRun = await store.getRun(me.organisations[0]?.id ?? '', run.id)
    expect(storedRun?.status).toBe('failed')
    const stored = JSON.stringify({
      run: storedRun,
      nodes: await store.listNodeExecutions(run.id),
      events: await store.listEvents(run.id),
    })
    const streamed = JSON.stringify([liveEvents, replayed])
    for (const [where, text] of Object.entries({
      responses: responses.join('\n'),
      stored,
      streamed,
      logs: server.logs.join(''),
    })) {
      expect(text, where).not.toContain(marker)
      expect(text, where).not.toContain(key)
    }

    // The errors still say what went wrong.
    const failed = replayed.find(
      (event): event is Extract<RunEvent, { type: 'node.failed' }> => event.type === 'node.failed',
    )
    expect(failed?.error).toMatchObject({
      code: 'PROVIDER_AUTH',
      message: expect.stringContaining('Incorrect API key provided: [redacted]'),
    })
    const retrying = replayed.find((event) => event.type === 'node.retrying')
    expect(JSON.stringify(retrying)).toContain('upstream rejected [redacted] ([redacted])')
    expect(run.error?.message).toContain('Incorrect API key provided: [redacted]')
    expect(server.logs.join('')).toContain('node attempt failed; retrying')
  }, 60_000)
})
