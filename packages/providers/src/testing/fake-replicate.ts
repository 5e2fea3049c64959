import { randomBytes, randomInt } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { FakeFileStore, FakeJobClock, type JobPhase, originOf } from './fake-jobs.ts'
import {
  answerFault,
  type Fault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  startLoopbackServer,
} from './loopback-server.ts'
import { colorFor, mp4Bytes, pngBytes } from './media.ts'

export interface FakeReplicateOptions {
  /** From create to `succeeded`; 50 ms unless given. */
  latencyMs?: number
  /** Denoising steps the tqdm progress lines in the logs count; 20 unless given. */
  steps?: number
  /** The token accepted as `Authorization: Bearer <apiKey>`; `test-key` unless given. */
  apiKey?: string
}

export type FakeReplicate = LoopbackServer & {
  /** Scripted answers to create requests; a 429 gets `Retry-After: 1` and Replicate's body unless it has its own. */
  faults: FaultQueue
  /** Ids of the predictions a client cancelled, in order. */
  canceled: string[]
  /** Errors the next created predictions fail with, one each, in order. */
  jobErrors: string[]
}

interface FakePrediction {
  id: string
  model: string
  version: string | undefined
  input: Record<string, unknown>
  seed: number
  clock: FakeJobClock
  canceled: boolean
  error: string | undefined
  output: string | string[]
  createdAt: string
}

type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled'

const maxOutputs = 8

/**
 * Replicate's predictions API on 127.0.0.1 under `/v1`: create by model name or by version,
 * get, cancel, and the output files at `/files/{name}`. Models whose name (or version)
 * contains `video` output one MP4 URL; others output a list of 64×64 PNG URLs coloured
 * `colorFor(prompt, seed + index)`.
 */
export async function startFakeReplicate(options: FakeReplicateOptions = {}): Promise<FakeReplicate> {
  const { latencyMs = 50, steps = 20, apiKey = 'test-key' } = options
  const faults = new FaultQueue()
  const canceled: string[] = []
  const jobErrors: string[] = []
  const predictions = new Map<string, FakePrediction>()
  const files = new FakeFileStore()

  const authorized = (request: RecordedRequest) =>
    request.headers.authorization === `Bearer ${apiKey}` || request.headers.authorization === `Token ${apiKey}`

  async function create(request: RecordedRequest, response: ServerResponse, model: string | undefined) {
    if (await answerFault(response, withThrottleDefaults(faults.next()))) return
    if (!authorized(request)) return sendJson(response, 401, unauthenticated)
    const body = (request.json ?? {}) as { version?: unknown; input?: unknown }
    const version = typeof body.version === 'string' ? body.version : undefined
    if (!model && !version) return sendJson(response, 422, invalid('version', 'version is required'))
    if (typeof body.input !== 'object' || body.input === null) {
      return sendJson(response, 422, invalid('(root)', 'input is required'))
    }
    const input = body.input as Record<string, unknown>
    if (typeof input.prompt !== 'string' || input.prompt === '') {
      return sendJson(response, 422, invalid('input', 'prompt is required'))
    }

    const id = randomBytes(13).toString('hex')
    const seed = typeof input.seed === 'number' ? input.seed : randomInt(2 ** 31)
    const makesVideo = (model ?? version ?? '').includes('video')
    const output = makesVideo ? videoOutput(request, id) : await imageOutput(request, id, input, seed)
    const prediction: FakePrediction = {
      id,
      model: model ?? `version-${version}`,
      version,
      input,
      seed,
      clock: new FakeJobClock(latencyMs),
      canceled: false,
      error: jobErrors.shift(),
      output,
      createdAt: new Date().toISOString(),
    }
    predictions.set(id, prediction)
    sendJson(response, 201, toJson(prediction, prediction.clock.report(), request))
  }

  function videoOutput(request: RecordedRequest, id: string): string {
    return files.add(request, `${id}.mp4`, mp4Bytes(), 'video/mp4')
  }

  async function imageOutput(request: RecordedRequest, id: string, input: Record<string, unknown>, seed: number) {
    const prompt = String(input.prompt)
    const count = Math.min(maxOutputs, typeof input.num_outputs === 'number' ? input.num_outputs : 1)
    return Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const bytes = await pngBytes({ color: colorFor(prompt, seed + index) })
        return files.add(request, `${id}-${index}.png`, bytes, 'image/png')
      }),
    )
  }

  function toJson(prediction: FakePrediction, phase: JobPhase, request: RecordedRequest) {
    const status = statusOf(prediction, phase)
    const url = `${originOf(request)}/v1/predictions/${prediction.id}`
    return {
      id: prediction.id,
      model: prediction.model,
      version: prediction.version ?? 'official',
      input: prediction.input,
      status,
      logs: logsOf(prediction, status),
      output: status === 'succeeded' ? prediction.output : null,
      error: status === 'failed' ? prediction.error : null,
      data_removed: false,
      created_at: prediction.createdAt,
      urls: { get: url, cancel: `${url}/cancel`, web: `${originOf(request)}/p/${prediction.id}` },
      metrics: status === 'succeeded' ? { predict_time: latencyMs / 1000 } : {},
    }
  }

  /** `Using seed: N`, then one tqdm line per step reached, as diffusion models on Replicate log. */
  function logsOf(prediction: FakePrediction, status: PredictionStatus): string {
    if (status === 'starting') return ''
    const reached = status === 'processing' ? Math.max(1, Math.round(prediction.clock.fraction * (steps - 1))) : steps
    const lines = [`Using seed: ${prediction.seed}`]
    for (let step = 0; step <= reached; step++) lines.push(tqdmLine(step, steps))
    return `${lines.join('\n')}\n`
  }

  function cancel(prediction: FakePrediction, request: RecordedRequest, response: ServerResponse) {
    if (!prediction.canceled && prediction.clock.phase !== 'done') {
      prediction.canceled = true
      canceled.push(prediction.id)
    }
    sendJson(response, 200, toJson(prediction, prediction.clock.phase, request))
  }

  const server = await startLoopbackServer(async (request, response) => {
    if (files.serve(request, response)) return
    const byModel = /^\/v1\/models\/([^/]+\/[^/]+)\/predictions$/.exec(request.path)
    if (byModel && request.method === 'POST') return create(request, response, byModel[1])
    if (request.path === '/v1/predictions' && request.method === 'POST') return create(request, response, undefined)

    const route = /^\/v1\/predictions\/([^/]+?)(\/cancel)?$/.exec(request.path)
    if (!route) return sendJson(response, 404, { title: 'Not found', detail: 'Not found', status: 404 })
    if (!authorized(request)) return sendJson(response, 401, unauthenticated)
    const prediction = predictions.get(route[1] ?? '')
    if (!prediction) return sendJson(response, 404, { title: 'Not found', detail: 'Prediction not found', status: 404 })
    if (request.method === 'GET' && !route[2])
      return sendJson(response, 200, toJson(prediction, prediction.clock.report(), request))
    if (request.method === 'POST' && route[2]) return cancel(prediction, request, response)
    sendJson(response, 405, { title: 'Method not allowed', detail: 'Method not allowed', status: 405 })
  })
  return Object.assign(server, { faults, canceled, jobErrors })
}

function statusOf(prediction: FakePrediction, phase: JobPhase): PredictionStatus {
  if (prediction.canceled) return 'canceled'
  if (phase === 'queued') return 'starting'
  if (phase === 'running') return 'processing'
  return prediction.error ? 'failed' : 'succeeded'
}

function tqdmLine(step: number, steps: number): string {
  const percent = Math.round((step / steps) * 100)
  const bar = '█'.repeat(Math.round(percent / 10)).padEnd(10)
  return `${String(percent).padStart(3)}%|${bar}| ${step}/${steps} [00:00<00:00, 20.00it/s]`
}

const unauthenticated = { title: 'Unauthenticated', detail: 'Unauthenticated', status: 401 }

/** Replicate's answer to input that fails the model's schema. */
function invalid(field: string, description: string) {
  return {
    title: 'Input validation failed',
    detail: `- ${field}: ${description}\n`,
    status: 422,
    invalid_fields: [{ type: 'required', field, description }],
  }
}

function withThrottleDefaults(fault: Fault | undefined): Fault | undefined {
  if (fault?.status !== 429) return fault
  return {
    ...fault,
    headers: { 'retry-after': '1', ...fault.headers },
    body: fault.body ?? {
      title: 'Request was throttled',
      detail: 'Request was throttled. Expected available in 1 second.',
      status: 429,
    },
  }
}
