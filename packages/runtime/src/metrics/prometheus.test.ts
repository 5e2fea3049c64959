import { type ModelGateway, type NodeContext, NodeError, unavailableModelGateway } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { createPrometheusMetrics } from './prometheus.ts'

/** The samples of a text exposition: `name{labels}` → value. */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`unparsable line: ${line}`)
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]))
  }
  return samples
}

/** The value of the sample with exactly these labels (any order), or undefined. */
function sampleValue(samples: Map<string, number>, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
  for (const [key, value] of samples) {
    const match = /^([^{]+)(?:\{(.*)\})?$/.exec(key)
    if (match?.[1] !== name) continue
    const have = (match[2] ?? '')
      .split(/,(?=[a-z_]+=")/)
      .filter(Boolean)
      .sort()
    if (have.length === wanted.length && have.every((pair, i) => pair === wanted[i])) return value
  }
  return undefined
}

async function scrape(prom: { render(): Promise<{ contentType: string; body: string }> }) {
  const { contentType, body } = await prom.render()
  expect(contentType).toMatch(/^text\/plain/)
  return parseExposition(body)
}

const ctx = {} as NodeContext

describe('createPrometheusMetrics', () => {
  it('counts attempts, failures, retries, cache hits and runs, labelled with the role', async () => {
    const prom = createPrometheusMetrics({ role: 'worker' })
    prom.metrics.attemptFinished({ nodeType: 'text.template', outcome: 'succeeded', durationMs: 5 })
    prom.metrics.attemptFinished({ nodeType: 'text.template', outcome: 'succeeded', durationMs: 1500 })
    prom.metrics.attemptFinished({
      nodeType: 'image.generate',
      outcome: 'retrying',
      durationMs: 200,
      code: 'PROVIDER_RATE_LIMITED',
    })
    prom.metrics.attemptFinished({
      nodeType: 'image.generate',
      outcome: 'failed',
      durationMs: 300,
      code: 'PROVIDER_REJECTED',
    })
    prom.metrics.attemptFinished({ nodeType: 'image.generate', outcome: 'failed', durationMs: 1, code: 'bad code!' })
    prom.metrics.nodeCached({ nodeType: 'text.template' })
    prom.metrics.runFinished({ status: 'succeeded', durationMs: 2500 })
    prom.metrics.runFinished({ status: 'failed', durationMs: 100 })

    const samples = await scrape(prom)
    const role = 'worker'
    const attempts = (node_type: string, outcome: string) =>
      sampleValue(samples, 'patchbay_node_attempts_total', { node_type, outcome, role })
    expect(attempts('text.template', 'succeeded')).toBe(2)
    expect(attempts('image.generate', 'retrying')).toBe(1)
    expect(attempts('image.generate', 'failed')).toBe(2)
    const histogram = { node_type: 'text.template', outcome: 'succeeded', role }
    expect(sampleValue(samples, 'patchbay_node_attempt_duration_seconds_count', histogram)).toBe(2)
    expect(sampleValue(samples, 'patchbay_node_attempt_duration_seconds_sum', histogram)).toBeCloseTo(1.505)
    expect(sampleValue(samples, 'patchbay_node_attempt_duration_seconds_bucket', { ...histogram, le: '0.01' })).toBe(1)
    expect(sampleValue(samples, 'patchbay_node_attempt_duration_seconds_bucket', { ...histogram, le: '600' })).toBe(2)
    expect(
      sampleValue(samples, 'patchbay_node_retries_total', {
        node_type: 'image.generate',
        code: 'PROVIDER_RATE_LIMITED',
        role,
      }),
    ).toBe(1)
    const failures = (code: string) =>
      sampleValue(samples, 'patchbay_node_failures_total', { node_type: 'image.generate', code, role })
    expect(failures('PROVIDER_REJECTED')).toBe(1)
    expect(failures('OTHER')).toBe(1)
    expect(sampleValue(samples, 'patchbay_node_cache_hits_total', { node_type: 'text.template', role })).toBe(1)
    expect(sampleValue(samples, 'patchbay_runs_finished_total', { status: 'succeeded', role })).toBe(1)
    expect(sampleValue(samples, 'patchbay_runs_finished_total', { status: 'failed', role })).toBe(1)
    expect(sampleValue(samples, 'patchbay_run_duration_seconds_sum', { status: 'succeeded', role })).toBeCloseTo(2.5)
    // Default process metrics are there too, with the role.
    expect(sampleValue(samples, 'process_cpu_user_seconds_total', { role })).toBeGreaterThanOrEqual(0)
  })

  it('keeps registries apart', async () => {
    const one = createPrometheusMetrics({ role: 'server' })
    const two = createPrometheusMetrics({ role: 'server' })
    one.metrics.runFinished({ status: 'canceled', durationMs: 1 })
    const canceled = { status: 'canceled', role: 'server' }
    expect(sampleValue(await scrape(one), 'patchbay_runs_finished_total', canceled)).toBe(1)
    expect(sampleValue(await scrape(two), 'patchbay_runs_finished_total', canceled)).toBeUndefined()
  })

  it('reads queue depth at scrape time, and survives a queue that cannot answer', async () => {
    let counts: Record<string, number> = { waiting: 3, active: 1, delayed: 0, failed: 2 }
    let broken = false
    const prom = createPrometheusMetrics({
      role: 'all',
      queueCounts: async () => {
        if (broken) throw new Error('redis://user:secret@redis:6379 refused')
        return counts
      },
    })
    let samples = await scrape(prom)
    expect(sampleValue(samples, 'patchbay_queue_jobs', { state: 'waiting', role: 'all' })).toBe(3)
    expect(sampleValue(samples, 'patchbay_queue_jobs', { state: 'failed', role: 'all' })).toBe(2)

    counts = { waiting: 0, active: 4 }
    samples = await scrape(prom)
    expect(sampleValue(samples, 'patchbay_queue_jobs', { state: 'active', role: 'all' })).toBe(4)
    expect(sampleValue(samples, 'patchbay_queue_jobs', { state: 'failed', role: 'all' })).toBeUndefined()

    broken = true
    samples = await scrape(prom)
    expect(sampleValue(samples, 'patchbay_queue_jobs', { state: 'active', role: 'all' })).toBeUndefined()
    expect(sampleValue(samples, 'patchbay_runs_finished_total', { status: 'succeeded', role: 'all' })).toBeUndefined()
  })
})

describe('instrumentGateway', () => {
  /** A gateway whose calls succeed, except for the models named in `failures`. */
  function fakeGateway(failures: Record<string, unknown>): ModelGateway {
    const answer =
      <T>(result: T) =>
      async (request: { model: string }): Promise<T> => {
        if (request.model in failures) throw failures[request.model]
        return result
      }
    const audio = { assetId: 'a', kind: 'audio', mime: 'audio/wav', bytes: 1, sha256: 'x' } as const
    return {
      chat: answer({ text: 'hi', cost: null }),
      generateImage: answer({ images: [], cost: null }),
      editImage: answer({ images: [], cost: null }),
      generateVideo: answer({ video: { ...audio, kind: 'video', mime: 'video/mp4' }, cost: null }),
      speak: answer({ audio, cost: null }),
      transcribe: answer({ text: 'words', cost: null }),
    }
  }

  it('times and counts every call by provider, capability, outcome and HTTP status', async () => {
    const prom = createPrometheusMetrics({ role: 'all' })
    const rateLimited = new NodeError('PROVIDER_RATE_LIMITED', 'slow down', {
      retryable: true,
      details: { status: 429 },
    })
    const gateway = prom.instrumentGateway(
      fakeGateway({
        'openai/broken': rateLimited,
        'fal/boom': new TypeError('fetch failed'),
        'nope/typo in a workflow': new NodeError('UNKNOWN_PROVIDER', 'unknown provider "nope"'),
      }),
    )

    expect(await gateway.chat({ model: 'openai/gpt-4.1-mini', prompt: 'hello' }, ctx)).toEqual({
      text: 'hi',
      cost: null,
    })
    await gateway.chat({ model: 'openai/gpt-4.1-mini', prompt: 'again' }, ctx)
    await gateway.generateImage({ model: 'fal/flux/schnell', prompt: 'a mug' }, ctx)
    await gateway.transcribe({ model: 'openai/whisper-1', audio: {} as never }, ctx)
    await expect(gateway.chat({ model: 'openai/broken', prompt: 'x' }, ctx)).rejects.toBe(rateLimited)
    await expect(gateway.generateVideo({ model: 'fal/boom', prompt: 'x' }, ctx)).rejects.toThrow('fetch failed')
    await expect(gateway.speak({ model: 'nope/typo in a workflow', text: 'x' }, ctx)).rejects.toThrow('unknown')
    await expect(gateway.editImage({ model: 'no-slash', prompt: 'x', image: {} as never }, ctx)).resolves.toEqual({
      images: [],
      cost: null,
    })

    const samples = await scrape(prom)
    const requests = (provider: string, capability: string, outcome: string, status = '') =>
      sampleValue(samples, 'patchbay_provider_requests_total', { provider, capability, outcome, status, role: 'all' })
    expect(requests('openai', 'chat', 'ok')).toBe(2)
    expect(requests('fal', 'image.generate', 'ok')).toBe(1)
    expect(requests('openai', 'audio.transcribe', 'ok')).toBe(1)
    expect(requests('openai', 'chat', 'error', '429')).toBe(1)
    expect(requests('fal', 'video.generate', 'error')).toBe(1)
    expect(requests('unknown', 'audio.speech', 'error')).toBe(1)
    expect(requests('unknown', 'image.edit', 'ok')).toBe(1)
    const duration = { provider: 'openai', capability: 'chat', outcome: 'ok', role: 'all' }
    expect(sampleValue(samples, 'patchbay_provider_request_duration_seconds_count', duration)).toBe(2)
    // No model names and no messages in any label.
    const keys = [...samples.keys()].join('\n')
    expect(keys).not.toMatch(/gpt|flux|typo|slow down|fetch failed/)
  })

  it('reports providers the gateway does not serve as unknown', async () => {
    const prom = createPrometheusMetrics({ role: 'all' })
    const gateway = prom.instrumentGateway(fakeGateway({}), { knownProvider: (id) => id === 'openai' })
    await gateway.chat({ model: 'openai/gpt-4.1', prompt: 'x' }, ctx)
    await gateway.chat({ model: 'made-up/gpt-4.1', prompt: 'x' }, ctx)
    const samples = await scrape(prom)
    const requests = (provider: string) =>
      sampleValue(samples, 'patchbay_provider_requests_total', {
        provider,
        capability: 'chat',
        outcome: 'ok',
        status: '',
        role: 'all',
      })
    expect(requests('openai')).toBe(1)
    expect(requests('unknown')).toBe(1)
    expect(requests('made-up')).toBeUndefined()
  })

  it('passes failures of an unavailable gateway through untouched', async () => {
    const prom = createPrometheusMetrics({ role: 'all' })
    const gateway = prom.instrumentGateway(unavailableModelGateway())
    await expect(gateway.chat({ model: 'openai/x', prompt: 'x' }, ctx)).rejects.toMatchObject({
      code: 'NO_MODEL_GATEWAY',
    })
  })
})
