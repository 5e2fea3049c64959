import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engineWithGateway, eventsOf, type Fakes, singleNode, startFakes } from './support.ts'

let fakes: Fakes

beforeAll(async () => {
  fakes = await startFakes()
})
afterAll(async () => fakes?.close())

/** Fast retries so the tests exercise the policy without waiting for production delays. */
const quickRetry = { retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 50 } }

function imageWorkflow(model = 'openai/gpt-image-1', extra: Record<string, unknown> = quickRetry) {
  return singleNode('image.generate', { model }, { prompt: 'a lighthouse' }, ['image'], extra)
}

const imageCalls = () => fakes.openai.requests.filter((request) => request.path === '/v1/images/generations').length

describe('provider faults through the engine', () => {
  it('waits out a 429 for the Retry-After the provider gave, then succeeds', async () => {
    const setup = engineWithGateway(fakes.env)
    fakes.openai.faults.push({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { message: 'Rate limit reached for images', type: 'requests', code: 'rate_limit_exceeded' } },
    })
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    await setup.close()
    expect(run.status).toBe('succeeded')
    const [retry] = eventsOf(events, 'node.retrying')
    expect(retry?.delayMs).toBeGreaterThanOrEqual(1000)
    expect(retry?.error).toMatchObject({ code: 'PROVIDER_RATE_LIMITED', retryable: true })
    expect(retry?.error.message).toContain('Rate limit reached for images')
    expect(eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'model')?.attempt).toBe(2)
  })

  it('fails at once with the provider message on a 400, without retrying', async () => {
    const setup = engineWithGateway(fakes.env)
    fakes.openai.faults.push({
      status: 400,
      body: { error: { message: 'Your request was rejected by the safety system.', type: 'invalid_request_error' } },
    })
    const before = imageCalls()
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    await setup.close()
    expect(run.status).toBe('failed')
    expect(eventsOf(events, 'node.retrying')).toHaveLength(0)
    const [failed] = eventsOf(events, 'node.failed')
    expect(failed?.error).toMatchObject({ code: 'PROVIDER_REJECTED', retryable: false })
    expect(failed?.error.message).toContain('rejected by the safety system')
    expect(imageCalls() - before).toBe(1)
  })

  it('names the credential variable when the provider refuses the key', async () => {
    const setup = engineWithGateway({ ...fakes.env, OPENAI_API_KEY: 'wrong-key' })
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    await setup.close()
    expect(run.status).toBe('failed')
    const [failed] = eventsOf(events, 'node.failed')
    expect(failed?.error.code).toBe('PROVIDER_AUTH')
    expect(failed?.error.message).toContain('OPENAI_API_KEY')
    expect(JSON.stringify(events)).not.toContain('wrong-key')
  })

  it('fails with MISSING_CREDENTIAL, not a crash, when a run reaches a provider without its key', async () => {
    const { OPENAI_API_KEY: _dropped, ...env } = fakes.env
    const setup = engineWithGateway(env)
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    await setup.close()
    expect(run.status).toBe('failed')
    expect(eventsOf(events, 'node.failed')[0]?.error).toMatchObject({ code: 'MISSING_CREDENTIAL', retryable: false })
  })

  it('times out a provider that never answers and retries it as transient', async () => {
    const setup = engineWithGateway(fakes.env, { requestTimeoutMs: 200 })
    fakes.openai.faults.push({ status: 200, delayMs: Number.POSITIVE_INFINITY })
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    await setup.close()
    expect(eventsOf(events, 'node.retrying')[0]?.error.code).toBe('PROVIDER_TIMEOUT')
    expect(run.status).toBe('succeeded')
  })

  it('reports an unreachable provider with its address', async () => {
    const port = await closedPort()
    const setup = engineWithGateway({ ...fakes.env, FAL_BASE_URL: `http://127.0.0.1:${port}` })
    const workflow = imageWorkflow('fal/fal-ai/flux/schnell', { retry: { maxAttempts: 1 } })
    const { run, events } = await setup.run({ workflow })
    await setup.close()
    expect(run.status).toBe('failed')
    const error = eventsOf(events, 'node.failed')[0]?.error
    expect(error).toMatchObject({ code: 'PROVIDER_UNREACHABLE', retryable: true })
    expect(error?.message).toContain(`127.0.0.1:${port}`)
  })

  it('opens the circuit after repeated outages so further calls fail fast', async () => {
    const setup = engineWithGateway(fakes.env, { breaker: { failures: 2, halfOpenAfterMs: 60_000 } })
    fakes.openai.faults.push({ status: 500, times: 2 })
    const before = imageCalls()
    const { run, events } = await setup.run({ workflow: imageWorkflow() })
    expect(run.status).toBe('failed')
    const errors = [...eventsOf(events, 'node.retrying'), ...eventsOf(events, 'node.failed')].map(
      (event) => event.error,
    )
    expect(errors.map((error) => error.code)).toEqual([
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_UNAVAILABLE',
      'PROVIDER_UNAVAILABLE',
    ])
    expect(errors[2]?.message).toContain('paused')
    // Two calls reached the provider; the third attempt never left the process.
    expect(imageCalls() - before).toBe(2)
    // Other providers are unaffected.
    const other = await setup.run({ workflow: imageWorkflow('fal/fal-ai/flux/schnell') })
    expect(other.run.status).toBe('succeeded')
    await setup.close()
  })

  it.each([
    ['fal', 'fal/fal-ai/kling-video/v2.1/master/text-to-video', () => fakes.fal.canceled],
    ['Replicate', 'replicate/minimax/video-01', () => fakes.replicate.canceled],
  ])('cancels the remote %s job when the run is canceled', async (_name, model, canceled) => {
    const slow = await startFakes({ latencyMs: 30_000 })
    const setup = engineWithGateway(slow.env)
    const workflow = singleNode('video.generate', { model }, { prompt: 'a slow sunrise' }, ['video'])
    let resolveProgress: () => void = () => {}
    const progressed = new Promise<void>((resolve) => {
      resolveProgress = resolve
    })
    const started = await setup.engine.startRun({
      workflow,
      onEvent: (event) => {
        if (event.type === 'node.progress') resolveProgress()
      },
    })
    await progressed
    await setup.engine.cancelRun(started.orgId, started.id)
    const run = await setup.engine.waitForRun(started.orgId, started.id)
    expect(run.status).toBe('canceled')
    const fakeCanceled = model.startsWith('fal/') ? slow.fal.canceled : slow.replicate.canceled
    await expect.poll(() => fakeCanceled.length, { timeout: 5000 }).toBe(1)
    expect(canceled()).toHaveLength(0)
    await setup.close()
    await slow.close()
  })

  it('keeps calls to one provider within its concurrency limit', async () => {
    const slow = await startFakes({ latencyMs: 80 })
    const setup = engineWithGateway(slow.env, { resourceLimits: { 'provider:openai': 2 } })
    const nodes: unknown[] = [{ id: 'p', type: 'input.text', params: { value: 'a kite' } }]
    const edges: unknown[] = []
    for (let i = 0; i < 6; i++) {
      nodes.push({ id: `g${i}`, type: 'image.generate', params: { model: 'openai/gpt-image-1', seed: i } })
      edges.push({ id: `e${i}`, source: 'p', sourceHandle: 'text', target: `g${i}`, targetHandle: 'prompt' })
    }
    const { run, events } = await setup.run({ workflow: { schemaVersion: 1, name: 'wide', nodes, edges } })
    expect(run.status).toBe('succeeded')
    let running = 0
    let peak = 0
    for (const event of events) {
      if (event.type === 'node.started' && event.nodeId.startsWith('g')) peak = Math.max(peak, ++running)
      if (event.type === 'node.succeeded' && event.nodeId.startsWith('g')) running--
    }
    expect(peak).toBe(2)
    await setup.close()
    await slow.close()
  })
})

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
