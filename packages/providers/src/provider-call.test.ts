import type { NodeContext } from '@patchbay/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createProviderCall } from './provider-call.ts'
import { type LoopbackServer, sendJson, startLoopbackServer } from './testing/index.ts'

const servers: LoopbackServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

function contextWith(controller = new AbortController()): NodeContext {
  const noop = () => {}
  return {
    signal: controller.signal,
    progress: noop,
    log: { debug: noop, info: noop, warn: noop, error: noop },
  } as unknown as NodeContext
}

function callFor(server: LoopbackServer, requestTimeoutMs = 5000, controller?: AbortController) {
  return createProviderCall(contextWith(controller), {
    apiKey: 'k',
    baseURL: `${server.url}/`,
    requestTimeoutMs,
    pollIntervalMs: 10,
    fetch,
  })
}

async function serve(answers: Array<(response: import('node:http').ServerResponse) => void>) {
  let index = 0
  const server = await startLoopbackServer((_request, response) => {
    const answer = answers[Math.min(index++, answers.length - 1)]
    answer?.(response)
  })
  servers.push(server)
  return server
}

const ok = (response: import('node:http').ServerResponse) => sendJson(response, 200, { ok: true })
const fail = (status: number) => (response: import('node:http').ServerResponse) =>
  sendJson(response, status, { error: 'no' })
const drop = (response: import('node:http').ServerResponse) => response.socket?.destroy()

describe('createProviderCall', () => {
  it('trims the base URL', async () => {
    const server = await serve([ok])
    expect(callFor(server).baseURL).toBe(server.url)
  })

  it('repeats a status poll that met a 503 and returns the answer that followed', async () => {
    const server = await serve([fail(503), fail(502), ok])
    const response = await callFor(server).fetch(`${server.url}/status`)
    expect(response.status).toBe(200)
    expect(server.requests).toHaveLength(3)
  })

  it('gives up on a GET after three tries, returning the last answer', async () => {
    const server = await serve([fail(500)])
    const response = await callFor(server).fetch(`${server.url}/status`)
    expect(response.status).toBe(500)
    expect(server.requests).toHaveLength(3)
  })

  it('never repeats a POST that the provider answered, even with a 500', async () => {
    const server = await serve([fail(500), ok])
    const response = await callFor(server).fetch(`${server.url}/generate`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(500)
    expect(server.requests).toHaveLength(1)
  })

  it('sends a POST again once when the connection was dropped before any answer', async () => {
    const server = await serve([drop, ok])
    const response = await callFor(server).fetch(`${server.url}/generate`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(200)
    expect(server.requests).toHaveLength(2)
  })

  it('fails a POST whose connection drops twice', async () => {
    const server = await serve([drop])
    await expect(
      callFor(server).fetch(`${server.url}/generate`, { method: 'POST', body: '{}' }),
    ).rejects.toBeInstanceOf(TypeError)
    expect(server.requests).toHaveLength(2)
  })

  it('limits each request to the time allowed', async () => {
    const server = await serve([() => {}])
    const started = Date.now()
    await expect(
      callFor(server, 100).fetch(`${server.url}/generate`, { method: 'POST', body: '{}' }),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('stops waiting between polls when the node is canceled', async () => {
    const server = await serve([ok])
    const controller = new AbortController()
    const call = callFor(server, 5000, controller)
    const sleeping = call.sleep(10_000)
    controller.abort(new Error('canceled'))
    await expect(sleeping).rejects.toThrow('canceled')
  })
})
