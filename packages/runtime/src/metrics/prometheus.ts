import { type ModelCapability, type ModelGateway, type NodeContext, PatchbayError, parseModelId } from '@patchbay/core'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { EngineMetrics } from './engine-metrics.ts'

/** Anything that can answer a Prometheus scrape (the server's and the worker's `/metrics`). */
export interface MetricsRenderer {
  render(): Promise<{ contentType: string; body: string }>
}

export interface PrometheusMetricsOptions {
  /** Which kind of process reports: a default label on every series. */
  role: 'server' | 'worker' | 'all'
  /** Jobs in the task queue by state (`waiting`, `active`, `delayed`, `failed`…), read at scrape time. */
  queueCounts?: () => Promise<Record<string, number>>
}

export interface InstrumentGatewayOptions {
  /**
   * Whether a provider id is one the gateway serves. Others are reported as `unknown`, so a
   * typo in a workflow's model id cannot add a series. Without it, calls that fail with
   * `INVALID_MODEL_ID` or `UNKNOWN_PROVIDER` count as `unknown`.
   */
  knownProvider?: (id: string) => boolean
}

export interface PrometheusMetrics extends MetricsRenderer {
  /** Give this to the engine. */
  metrics: EngineMetrics
  /** The same gateway, timing and counting every call by provider, capability and outcome. */
  instrumentGateway(gateway: ModelGateway, options?: InstrumentGatewayOptions): ModelGateway
  /** The process's own registry (not prom-client's global one). */
  registry: Registry
}

/** 10 ms … 10 min: a template node takes milliseconds, a video generation minutes. */
const attemptBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
/** Runs chain many attempts, so their tail is longer. */
const runBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600]

/** The capability each gateway method serves; `satisfies` makes a new method a type error here. */
const gatewayCapabilities = {
  chat: 'chat',
  generateImage: 'image.generate',
  editImage: 'image.edit',
  generateVideo: 'video.generate',
  speak: 'audio.speech',
  transcribe: 'audio.transcribe',
} as const satisfies Record<keyof ModelGateway, ModelCapability>

/** Gateway errors that mean the model id itself names no provider (its text is the user's). */
const unresolvedCodes = new Set(['INVALID_MODEL_ID', 'UNKNOWN_PROVIDER'])

/**
 * Prometheus metrics of one process on a registry of its own: default process metrics, node
 * attempts, cache hits, runs, queue depth and model-provider calls, each series labelled with
 * the process `role`. Labels hold only bounded values (node types from the registry, error
 * codes, statuses, provider ids) — never run ids, model ids or messages.
 *
 * @example
 * const prom = createPrometheusMetrics({ role: 'all' })
 * const runtime = await openRuntime(config, { models: prom.instrumentGateway(gateway), metrics: prom.metrics, … })
 * const { contentType, body } = await prom.render()
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions): PrometheusMetrics {
  const registry = new Registry()
  registry.setDefaultLabels({ role: options.role })
  collectDefaultMetrics({ register: registry })
  const registers = [registry]

  const attemptDuration = new Histogram({
    name: 'patchbay_node_attempt_duration_seconds',
    help: 'Duration of node attempts, by node type and outcome.',
    labelNames: ['node_type', 'outcome'] as const,
    buckets: attemptBuckets,
    registers,
  })
  const attempts = new Counter({
    name: 'patchbay_node_attempts_total',
    help: 'Node attempts that ended, by node type and outcome (succeeded, failed, retrying, canceled).',
    labelNames: ['node_type', 'outcome'] as const,
    registers,
  })
  const failures = new Counter({
    name: 'patchbay_node_failures_total',
    help: 'Node attempts that failed their node for good, by node type and error code.',
    labelNames: ['node_type', 'code'] as const,
    registers,
  })
  const retries = new Counter({
    name: 'patchbay_node_retries_total',
    help: 'Node attempts that failed and will be retried, by node type and error code.',
    labelNames: ['node_type', 'code'] as const,
    registers,
  })
  const cacheHits = new Counter({
    name: 'patchbay_node_cache_hits_total',
    help: 'Nodes answered from the cache without running, by node type.',
    labelNames: ['node_type'] as const,
    registers,
  })
  const runsFinished = new Counter({
    name: 'patchbay_runs_finished_total',
    help: 'Runs that finished, by final status.',
    labelNames: ['status'] as const,
    registers,
  })
  const runDuration = new Histogram({
    name: 'patchbay_run_duration_seconds',
    help: 'Duration of finished runs, by final status.',
    labelNames: ['status'] as const,
    buckets: runBuckets,
    registers,
  })
  const { queueCounts } = options
  new Gauge({
    name: 'patchbay_queue_jobs',
    help: 'Jobs in the task queue by state, read at scrape time.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      if (!queueCounts) return
      // A queue that cannot answer must not fail the whole scrape: its series go missing instead.
      const counts = await queueCounts().catch(() => undefined)
      this.reset()
      for (const [state, count] of Object.entries(counts ?? {})) this.set({ state: boundedLabel(state) }, count)
    },
  })
  const providerDuration = new Histogram({
    name: 'patchbay_provider_request_duration_seconds',
    help: 'Duration of model gateway calls, by provider, capability and outcome (ok, error).',
    labelNames: ['provider', 'capability', 'outcome'] as const,
    buckets: attemptBuckets,
    registers,
  })
  const providerRequests = new Counter({
    name: 'patchbay_provider_requests_total',
    help: 'Model gateway calls, by provider, capability, outcome and HTTP status of a failure.',
    labelNames: ['provider', 'capability', 'outcome', 'status'] as const,
    registers,
  })

  const metrics: EngineMetrics = {
    attemptFinished({ nodeType, outcome, durationMs, code }) {
      const node_type = boundedLabel(nodeType)
      attempts.inc({ node_type, outcome })
      attemptDuration.observe({ node_type, outcome }, durationMs / 1000)
      if (outcome === 'failed') failures.inc({ node_type, code: errorCodeLabel(code) })
      if (outcome === 'retrying') retries.inc({ node_type, code: errorCodeLabel(code) })
    },
    nodeCached({ nodeType }) {
      cacheHits.inc({ node_type: boundedLabel(nodeType) })
    },
    runFinished({ status, durationMs }) {
      runsFinished.inc({ status })
      runDuration.observe({ status }, durationMs / 1000)
    },
  }

  function instrumentGateway(gateway: ModelGateway, instrument: InstrumentGatewayOptions = {}): ModelGateway {
    const providerOf = (model: string, error?: unknown): string => {
      const provider = parseModelId(model)?.provider
      if (provider === undefined) return 'unknown'
      if (instrument.knownProvider) return instrument.knownProvider(provider) ? boundedLabel(provider) : 'unknown'
      return error instanceof PatchbayError && unresolvedCodes.has(error.code) ? 'unknown' : boundedLabel(provider)
    }
    const wrap = (name: keyof ModelGateway) => {
      type Method = (this: ModelGateway, request: { model: string }, ctx: NodeContext) => Promise<unknown>
      const capability = gatewayCapabilities[name]
      return async (request: { model: string }, ctx: NodeContext): Promise<unknown> => {
        const started = performance.now()
        const record = (outcome: 'ok' | 'error', error?: unknown) => {
          const provider = providerOf(request.model, error)
          providerDuration.observe({ provider, capability, outcome }, (performance.now() - started) / 1000)
          providerRequests.inc({ provider, capability, outcome, status: httpStatusOf(error) })
        }
        try {
          const result = await (gateway[name] as Method).call(gateway, request, ctx)
          record('ok')
          return result
        } catch (error) {
          record('error', error)
          throw error
        }
      }
    }
    const instrumented: Partial<Record<keyof ModelGateway, unknown>> = {}
    for (const name of Object.keys(gatewayCapabilities) as (keyof ModelGateway)[]) instrumented[name] = wrap(name)
    return instrumented as ModelGateway
  }

  return {
    metrics,
    instrumentGateway,
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}

/**
 * The HTTP status a failed provider call carries: the gateway's node errors keep it in
 * `details.status`, raw HTTP errors in `status`. Empty when there is none.
 */
function httpStatusOf(error: unknown): string {
  if (error === undefined || typeof error !== 'object' || error === null) return ''
  const details = error instanceof PatchbayError ? error.details : undefined
  const candidates = [
    typeof details === 'object' && details !== null ? (details as { status?: unknown }).status : undefined,
    (error as { status?: unknown }).status,
    (error as { statusCode?: unknown }).statusCode,
  ]
  const status = candidates.find((value) => typeof value === 'number' && Number.isInteger(value))
  return typeof status === 'number' && status >= 100 && status <= 599 ? String(status) : ''
}

/** Codes are constants in our code (`PROVIDER_RATE_LIMITED`); anything else is folded into `OTHER`. */
function errorCodeLabel(code: string | undefined): string {
  if (code === undefined) return 'UNKNOWN'
  return /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? code : 'OTHER'
}

/** A label value from a bounded set (node types, provider ids), cut short if it is oddly long. */
function boundedLabel(value: string): string {
  return value.length > 100 ? value.slice(0, 100) : value
}
