import type { ServerResponse } from 'node:http'
import {
  answerFault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  sendBytes,
  sendJson,
  startLoopbackServer,
} from './loopback-server.ts'
import { colorFor, pngBytes } from './media.ts'

export interface FakeComfyUIOptions {
  /** How long each prompt runs; prompts run one after another. */
  latencyMs?: number
}

export type FakeComfyUI = LoopbackServer & {
  /** Answers `POST /prompt` and `POST /upload/image`. */
  faults: FaultQueue
  /** `POST /interrupt` requests received. */
  interrupted: number
  /** Prompt ids named in `POST /queue {delete}`. */
  deleted: string[]
  /** Names of uploaded images. */
  uploads: string[]
}

type Graph = Record<string, { class_type?: unknown; inputs?: Record<string, unknown> }>

interface Job {
  id: string
  number: number
  graph: Graph
  doneAt: number
  deleted?: boolean
  interrupted?: boolean
  entry?: unknown
}

interface RenderedImage {
  color: string
  width: number
  height: number
}

const knownCheckpoints = ['sd_xl_base_1.0.safetensors', 'v1-5-pruned-emaonly.safetensors']
const maxSide = 128

/**
 * A loopback ComfyUI: validates API-format graphs like the real `/prompt`, runs prompts one
 * after another for `latencyMs` each, and serves one-colour PNGs (colour from the positive
 * prompt and seed) through `/view`. A positive prompt containing `FAIL` ends in an
 * `execution_error`; the checkpoint `bad.safetensors` fails validation.
 */
export async function startFakeComfyUI(options: FakeComfyUIOptions = {}): Promise<FakeComfyUI> {
  const { latencyMs = 20 } = options
  const jobs: Job[] = []
  const images = new Map<string, RenderedImage>()
  let fileCounter = 0

  const liveJobs = (now: number) => jobs.filter((job) => !job.deleted && !job.interrupted && now < job.doneAt)
  const queueItem = (job: Job) => [job.number, job.id, job.graph, {}, outputNodes(job.graph)]

  const server = await startLoopbackServer(async (request, response) => {
    const route = `${request.method} ${request.path}`
    const now = Date.now()
    if (route === 'POST /prompt') {
      if (await answerFault(response, fake.faults.next())) return
      const body = (request.json ?? {}) as { prompt?: Graph }
      const problem = validate(body.prompt, fake.uploads)
      if (problem) return sendJson(response, 400, problem)
      const startAt = Math.max(now, ...jobs.filter((job) => !job.deleted).map((job) => job.doneAt))
      const job: Job = {
        id: crypto.randomUUID(),
        number: jobs.length,
        graph: body.prompt as Graph,
        doneAt: startAt + latencyMs,
      }
      jobs.push(job)
      return sendJson(response, 200, { prompt_id: job.id, number: job.number, node_errors: {} })
    }
    if (route === 'GET /queue') {
      const [running, ...pending] = liveJobs(now)
      return sendJson(response, 200, {
        queue_running: running ? [queueItem(running)] : [],
        queue_pending: pending.map(queueItem),
      })
    }
    if (route === 'POST /queue') {
      const ids = ((request.json ?? {}) as { delete?: string[] }).delete ?? []
      fake.deleted.push(...ids)
      const running = liveJobs(now)[0]
      for (const job of jobs) if (ids.includes(job.id) && job !== running) job.deleted = true
      return sendJson(response, 200, {})
    }
    if (route === 'POST /interrupt') {
      fake.interrupted += 1
      const running = liveJobs(now)[0]
      const target = ((request.json ?? {}) as { prompt_id?: string }).prompt_id
      if (running && (target === undefined || target === running.id)) {
        running.interrupted = true
        running.doneAt = now
      }
      return sendJson(response, 200, {})
    }
    if (request.method === 'GET' && request.path.startsWith('/history/')) {
      const job = jobs.find((candidate) => candidate.id === request.path.slice('/history/'.length))
      if (!job || job.deleted || now < job.doneAt) return sendJson(response, 200, {})
      job.entry ??= finish(job)
      return sendJson(response, 200, { [job.id]: job.entry })
    }
    if (route === 'GET /view') {
      const image = images.get(request.query.get('filename') ?? '')
      if (!image || request.query.get('type') !== 'output') return sendJson(response, 404, {})
      return sendBytes(response, 200, await pngBytes(image), 'image/png')
    }
    if (route === 'POST /upload/image') {
      if (await answerFault(response, fake.faults.next())) return
      return upload(request, response)
    }
    sendJson(response, 404, { error: `no route ${route}` })
  })

  async function upload(request: RecordedRequest, response: ServerResponse): Promise<void> {
    const form = await new Request('http://fake/upload/image', {
      method: 'POST',
      headers: { 'content-type': request.headers['content-type'] ?? '' },
      body: new Uint8Array(request.body),
    }).formData()
    const file = form.get('image')
    if (!(file instanceof File)) return sendJson(response, 400, { error: 'image is required' })
    fake.uploads.push(file.name)
    sendJson(response, 200, { name: file.name, subfolder: '', type: 'input' })
  }

  function finish(job: Job): unknown {
    const sampler = findNode(job.graph, 'KSampler')
    const positive = linkedNode(job.graph, sampler?.inputs?.positive)
    const text = String(positive?.inputs?.text ?? '')
    const messages: Array<[string, Record<string, unknown>]> = [['execution_start', { prompt_id: job.id }]]
    if (job.interrupted) {
      messages.push(['execution_interrupted', { prompt_id: job.id, node_id: '3', node_type: 'KSampler' }])
      return { prompt: queueItem(job), outputs: {}, status: { status_str: 'error', completed: false, messages } }
    }
    if (text.includes('FAIL')) {
      messages.push([
        'execution_error',
        {
          prompt_id: job.id,
          node_id: '3',
          node_type: 'KSampler',
          exception_message: 'Allocation on device 0 would exceed allowed memory. (out of memory)',
          exception_type: 'torch.OutOfMemoryError',
          traceback: [],
        },
      ])
      return { prompt: queueItem(job), outputs: {}, status: { status_str: 'error', completed: false, messages } }
    }
    const latent = findNode(job.graph, 'EmptyLatentImage')?.inputs ?? {}
    const batch = Number(latent.batch_size ?? findNode(job.graph, 'RepeatLatentBatch')?.inputs?.amount ?? 1)
    const rendered: RenderedImage = {
      color: colorFor(text, Number(sampler?.inputs?.seed ?? 0)),
      ...cappedSize(Number(latent.width ?? 64), Number(latent.height ?? 64)),
    }
    const outputs: Record<string, { images: Array<{ filename: string; subfolder: string; type: string }> }> = {}
    for (const nodeId of outputNodes(job.graph)) {
      const prefix = String(job.graph[nodeId]?.inputs?.filename_prefix ?? 'ComfyUI')
      outputs[nodeId] = {
        images: Array.from({ length: batch }, () => {
          const filename = `${prefix}_${String(++fileCounter).padStart(5, '0')}_.png`
          images.set(filename, rendered)
          return { filename, subfolder: '', type: 'output' }
        }),
      }
    }
    messages.push(['execution_success', { prompt_id: job.id }])
    return { prompt: queueItem(job), outputs, status: { status_str: 'success', completed: true, messages } }
  }

  const fake: FakeComfyUI = Object.assign(server, {
    faults: new FaultQueue(),
    interrupted: 0,
    deleted: [] as string[],
    uploads: [] as string[],
  })
  return fake
}

function outputNodes(graph: Graph): string[] {
  return Object.keys(graph).filter((id) => graph[id]?.class_type === 'SaveImage')
}

function findNode(graph: Graph, classType: string) {
  return Object.values(graph).find((node) => node.class_type === classType)
}

function linkedNode(graph: Graph, link: unknown) {
  return Array.isArray(link) ? graph[String(link[0])] : undefined
}

function cappedSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height))
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) }
}

/** ComfyUI's validation answers for the mistakes the fake recognises, or undefined when valid. */
function validate(graph: Graph | undefined, uploads: string[]): unknown {
  if (typeof graph !== 'object' || graph === null) {
    return invalidPrompt('invalid_prompt', 'Cannot execute because the prompt is not an object.')
  }
  for (const [id, node] of Object.entries(graph)) {
    if (typeof node?.class_type !== 'string') {
      return invalidPrompt('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', id)
    }
    if (typeof node.inputs !== 'object' || node.inputs === null) {
      return invalidPrompt('invalid_prompt', 'Cannot execute because a node is missing the inputs property.', id)
    }
  }
  if (outputNodes(graph).length === 0) return invalidPrompt('prompt_no_outputs', 'Prompt has no outputs')
  for (const [id, node] of Object.entries(graph)) {
    for (const [input, value] of Object.entries(node.inputs ?? {})) {
      if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'number' && !graph[String(value[0])]) {
        return nodeError(id, node, {
          type: 'bad_linked_input',
          message: 'Bad linked input, must be a length-2 list of [node_id, slot_index]',
          details: `${input}: node ${value[0]} does not exist`,
        })
      }
    }
    const checkpoint = node.inputs?.ckpt_name
    if (node.class_type === 'CheckpointLoaderSimple' && !knownCheckpoints.includes(String(checkpoint))) {
      return nodeError(id, node, {
        type: 'value_not_in_list',
        message: 'Value not in list',
        details: `ckpt_name: '${checkpoint}' not in ${JSON.stringify(knownCheckpoints)}`,
      })
    }
    const image = node.inputs?.image
    if (node.class_type === 'LoadImage' && !uploads.includes(String(image))) {
      return nodeError(id, node, {
        type: 'custom_validation_failed',
        message: 'Invalid image file',
        details: `image - ${image}`,
      })
    }
  }
  return undefined
}

function invalidPrompt(type: string, message: string, nodeId?: string) {
  const details = nodeId === undefined ? '' : `Node ID '#${nodeId}'`
  return { error: { type, message, details, extra_info: {} }, node_errors: [] }
}

function nodeError(id: string, node: Graph[string], error: { type: string; message: string; details: string }) {
  return {
    error: {
      type: 'prompt_outputs_failed_validation',
      message: 'Prompt outputs failed validation',
      details: '',
      extra_info: {},
    },
    node_errors: {
      [id]: { errors: [{ ...error, extra_info: {} }], dependent_outputs: [], class_type: node.class_type },
    },
  }
}
