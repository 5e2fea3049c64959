import { randomInt, randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { FakeFileStore, FakeJobClock, originOf } from './fake-jobs.ts'
import {
  answerFault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  startLoopbackServer,
} from './loopback-server.ts'
import { colorFor, mp4Bytes, pngBytes } from './media.ts'

export interface FakeFalOptions {
  /** From submit to COMPLETED; 50 ms unless given. */
  latencyMs?: number
  /** How many `step k/n` lines a request logs while in progress; 8 unless given. */
  steps?: number
  /** The key accepted as `Authorization: Key <apiKey>`; `test-key` unless given. */
  apiKey?: string
}

export type FakeFal = LoopbackServer & {
  /** Scripted answers to submit requests. */
  faults: FaultQueue
  /** Ids of the requests a client cancelled, in order. */
  canceled: string[]
  /** Errors the next submitted requests end with (COMPLETED carrying `error`), one each, in order. */
  jobErrors: string[]
}

interface FalJob {
  id: string
  clock: FakeJobClock
  canceled: boolean
  error: string | undefined
  result: unknown
  urls: { response_url: string; status_url: string; cancel_url: string }
}

const maxImages = 8

/**
 * fal's queue API on 127.0.0.1, laid out like `https://queue.fal.run`: submit to
 * `/{endpoint}`, then status, result and cancel under `/{owner}/{app}/requests/{id}`.
 * Endpoints whose id contains `video` make an MP4; others make 64×64 PNGs coloured
 * `colorFor(prompt, seed + index)`, served by the fake at `/files/{name}`.
 */
export async function startFakeFal(options: FakeFalOptions = {}): Promise<FakeFal> {
  const { latencyMs = 50, steps = 8, apiKey = 'test-key' } = options
  const faults = new FaultQueue()
  const canceled: string[] = []
  const jobErrors: string[] = []
  const jobs = new Map<string, FalJob>()
  const files = new FakeFileStore()

  const authorized = (request: RecordedRequest) => request.headers.authorization === `Key ${apiKey}`
  const unauthorized = (response: ServerResponse) =>
    sendJson(response, 401, { detail: 'Authentication is required to access this application.' })

  async function submit(request: RecordedRequest, response: ServerResponse): Promise<void> {
    if (await answerFault(response, faults.next())) return
    if (!authorized(request)) return unauthorized(response)
    const input = (request.json ?? {}) as Record<string, unknown>
    const promptIssue = validatePrompt(input.prompt)
    if (promptIssue) return sendJson(response, 422, { detail: [promptIssue] })

    const endpoint = request.path.slice(1)
    const id = randomUUID()
    // fal addresses requests by app (`owner/app`), not by the full endpoint path.
    const requestUrl = `${originOf(request)}/${endpoint.split('/').slice(0, 2).join('/')}/requests/${id}`
    const urls = { response_url: requestUrl, status_url: `${requestUrl}/status`, cancel_url: `${requestUrl}/cancel` }
    const result = await generate(request, endpoint, input, id)
    jobs.set(id, { id, clock: new FakeJobClock(latencyMs), canceled: false, error: jobErrors.shift(), result, urls })
    sendJson(response, 200, { request_id: id, ...urls, queue_position: queuedAhead(id) })
  }

  async function generate(request: RecordedRequest, endpoint: string, input: Record<string, unknown>, id: string) {
    const prompt = String(input.prompt)
    const seed = typeof input.seed === 'number' ? input.seed : randomInt(2 ** 31)
    if (endpoint.includes('video')) {
      const bytes = mp4Bytes()
      const url = files.add(request, `${id}.mp4`, bytes, 'video/mp4')
      return { video: { url, content_type: 'video/mp4', file_name: `${id}.mp4`, file_size: bytes.byteLength }, seed }
    }
    const count = Math.min(maxImages, typeof input.num_images === 'number' ? input.num_images : 1)
    const images = await Promise.all(
      Array.from({ length: count }, async (_, index) => {
        const bytes = await pngBytes({ color: colorFor(prompt, seed + index) })
        const url = files.add(request, `${id}-${index}.png`, bytes, 'image/png')
        return { url, width: 64, height: 64, content_type: 'image/png' }
      }),
    )
    return {
      images,
      seed,
      prompt,
      has_nsfw_concepts: images.map(() => false),
      timings: { inference: latencyMs / 1000 },
    }
  }

  function queuedAhead(id: string): number {
    let ahead = 0
    for (const job of jobs.values()) {
      if (job.id === id) break
      if (!job.canceled && job.clock.phase === 'queued') ahead++
    }
    return ahead
  }

  function stepLogs(count: number) {
    const timestamp = new Date().toISOString()
    return Array.from({ length: count }, (_, index) => ({
      message: `step ${index + 1}/${steps}`,
      level: 'INFO',
      source: 'USER',
      timestamp,
    }))
  }

  function status(job: FalJob, request: RecordedRequest, response: ServerResponse) {
    const phase = job.canceled ? 'done' : job.clock.report()
    const logsWanted = request.query.get('logs') === '1'
    const common = { request_id: job.id, response_url: job.urls.response_url }
    if (phase === 'queued') {
      return sendJson(response, 202, { status: 'IN_QUEUE', ...common, queue_position: queuedAhead(job.id) })
    }
    if (phase === 'running') {
      const step = Math.min(steps - 1, Math.max(1, Math.round(job.clock.fraction * steps)))
      return sendJson(response, 202, { status: 'IN_PROGRESS', ...common, logs: logsWanted ? stepLogs(step) : null })
    }
    const error = failureOf(job)
    sendJson(response, 200, {
      status: 'COMPLETED',
      ...common,
      logs: logsWanted ? stepLogs(steps) : null,
      metrics: { inference_time: latencyMs / 1000 },
      ...(error ? { error, error_type: 'RequestError' } : {}),
    })
  }

  function result(job: FalJob, response: ServerResponse) {
    if (!job.canceled && job.clock.phase !== 'done') {
      return sendJson(response, 400, { detail: 'Request is still in progress' })
    }
    const error = failureOf(job)
    if (error) return sendJson(response, 500, { detail: error })
    sendJson(response, 200, job.result)
  }

  function cancel(job: FalJob, response: ServerResponse) {
    if (job.canceled || job.clock.phase === 'done') return sendJson(response, 400, { status: 'ALREADY_COMPLETED' })
    job.canceled = true
    canceled.push(job.id)
    sendJson(response, 202, { status: 'CANCELLATION_REQUESTED' })
  }

  const server = await startLoopbackServer(async (request, response) => {
    if (files.serve(request, response)) return
    const route = /^\/.+\/requests\/([^/]+?)(?:\/(status|cancel))?$/.exec(request.path)
    if (!route) {
      if (request.method === 'POST') return submit(request, response)
      return sendJson(response, 404, { detail: 'Not Found' })
    }
    if (!authorized(request)) return unauthorized(response)
    const job = jobs.get(route[1] ?? '')
    if (!job) return sendJson(response, 404, { detail: `Request ${route[1]} not found` })
    const action = route[2] ?? 'result'
    if (request.method === 'GET' && action === 'status') return status(job, request, response)
    if (request.method === 'GET' && action === 'result') return result(job, response)
    if (request.method === 'PUT' && action === 'cancel') return cancel(job, response)
    sendJson(response, 405, { detail: 'Method Not Allowed' })
  })
  return Object.assign(server, { faults, canceled, jobErrors })
}

function failureOf(job: FalJob): string | undefined {
  return job.canceled ? 'Request was cancelled' : job.error
}

/** FastAPI-style validation issue for the prompt, as fal reports it. */
function validatePrompt(prompt: unknown) {
  if (prompt === undefined) return { loc: ['body', 'prompt'], msg: 'field required', type: 'value_error.missing' }
  if (typeof prompt !== 'string') return { loc: ['body', 'prompt'], msg: 'str type expected', type: 'type_error.str' }
  if (prompt.length === 0) {
    return {
      loc: ['body', 'prompt'],
      msg: 'ensure this value has at least 1 characters',
      type: 'value_error.any_str.min_length',
    }
  }
  return undefined
}
