import type { ServerResponse } from 'node:http'
import {
  answerFault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  sendBytes,
  sendJson,
  sendSse,
  startLoopbackServer,
} from './loopback-server.ts'
import { colorFor, mp4Bytes, pngBytes } from './media.ts'

export interface FakeGoogleOptions {
  /** Delay before answering each POST. */
  latencyMs?: number
  /** The key `x-goog-api-key` must carry; `test-key` unless told. */
  apiKey?: string
  /** Status polls a Veo operation takes before it is done. */
  operationPolls?: number
}

export type FakeGoogle = LoopbackServer & { faults: FaultQueue }

interface Operation {
  prompt: string
  polls: number
}

type Json = Record<string, unknown>

const modelMethodPath = /\/models\/([^/:]+):(\w+)$/
const operationPath = /\/models\/[^/]+\/operations\/([\w-]+)$/
const fileDownloadPath = /^(.*)\/files\/([\w-]+):download$/

/**
 * A loopback Gemini API: chat (streamed and not), Gemini image output, Imagen `:predict` and
 * Veo operations with downloadable files. Prompts containing `REFUSE` get a text-only answer
 * from image models; Veo prompts containing `FAIL` end in an operation error. Faults in
 * `faults` answer POSTs.
 */
export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const { latencyMs = 0, apiKey = 'test-key', operationPolls = 2 } = options
  const faults = new FaultQueue()
  const operations = new Map<string, Operation>()
  let nextOperation = 1

  const server = await startLoopbackServer(async (request, response) => {
    if (request.headers['x-goog-api-key'] !== apiKey) return sendInvalidKey(response)
    if (request.method === 'POST') {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
      if (await answerFault(response, faults.next())) return
      const match = modelMethodPath.exec(request.path)
      const body = (request.json ?? {}) as Json
      switch (match?.[2]) {
        case 'streamGenerateContent':
          return streamChat(response, body)
        case 'generateContent':
          return sendJson(response, 200, await generateContent(match[1] ?? '', body))
        case 'predict':
          return sendJson(response, 200, await predictImages(body))
        case 'predictLongRunning': {
          const prompt = firstInstance(body).prompt
          if (typeof prompt !== 'string')
            return sendGoogleError(response, 400, 'INVALID_ARGUMENT', 'prompt is required')
          const id = `op${nextOperation++}`
          operations.set(id, { prompt, polls: 0 })
          return sendJson(response, 200, { name: `models/${match?.[1]}/operations/${id}` })
        }
      }
    } else if (request.method === 'GET') {
      const operationId = operationPath.exec(request.path)?.[1]
      const operation = operationId === undefined ? undefined : operations.get(operationId)
      if (operationId && operation) return sendJson(response, 200, pollOperation(request, operationId, operation))
      if (fileDownloadPath.test(request.path)) return sendBytes(response, 200, mp4Bytes(), 'video/mp4')
    }
    sendGoogleError(response, 404, 'NOT_FOUND', `${request.method} ${request.path} is not found`)
  })

  function pollOperation(request: RecordedRequest, id: string, operation: Operation): Json {
    const name = request.path.slice(request.path.indexOf('models/'))
    operation.polls += 1
    if (operation.polls < operationPolls) return { name }
    if (operation.prompt.includes('FAIL')) {
      return {
        name,
        done: true,
        error: { code: 13, message: 'Video generation failed: the model could not render FAIL' },
      }
    }
    const apiRoot = request.path.slice(0, request.path.indexOf('/models/'))
    const uri = `http://${request.headers.host}${apiRoot}/files/${id}:download?alt=media`
    return { name, done: true, response: { generateVideoResponse: { generatedSamples: [{ video: { uri } }] } } }
  }

  return Object.assign(server, { faults })
}

function sendGoogleError(response: ServerResponse, code: number, status: string, message: string, details?: unknown) {
  sendJson(response, code, { error: { code, message, status, ...(details ? { details } : {}) } })
}

function sendInvalidKey(response: ServerResponse) {
  sendGoogleError(response, 400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
  ])
}

/** The text of the last user turn and how many images came with it. */
function lastUserTurn(body: Json): { text: string; images: number } {
  const contents = (body.contents ?? []) as Array<{ parts?: Array<{ text?: string; inlineData?: unknown }> }>
  const parts = contents.at(-1)?.parts ?? []
  return {
    text: parts.find((part) => typeof part.text === 'string')?.text ?? '',
    images: parts.filter((part) => part.inlineData).length,
  }
}

function chatReply(body: Json): string {
  const { text, images } = lastUserTurn(body)
  return `You said: ${text}${images > 0 ? ` (with ${images} image${images === 1 ? '' : 's'})` : ''}`
}

function usageFor(body: Json, reply: string) {
  const promptTokenCount = lastUserTurn(body).text.split(/\s+/).length
  const candidatesTokenCount = reply.split(/\s+/).length
  return { promptTokenCount, candidatesTokenCount, totalTokenCount: promptTokenCount + candidatesTokenCount }
}

async function streamChat(response: ServerResponse, body: Json): Promise<void> {
  const reply = chatReply(body)
  const words = reply.split(/(?<= )/)
  const third = Math.ceil(words.length / 3)
  const pieces = [0, 1, 2].map((i) => words.slice(i * third, (i + 1) * third).join('')).filter(Boolean)
  const events = pieces.map((text, i) => ({
    data: {
      candidates: [
        { content: { role: 'model', parts: [{ text }] }, ...(i === pieces.length - 1 ? { finishReason: 'STOP' } : {}) },
      ],
      ...(i === pieces.length - 1 ? { usageMetadata: usageFor(body, reply) } : {}),
    },
  }))
  await sendSse(response, events, 5)
}

async function generateContent(model: string, body: Json): Promise<Json> {
  const prompt = lastUserTurn(body).text
  const wantsImage = model.includes('-image') && !prompt.includes('REFUSE')
  const reply = model.includes('-image')
    ? wantsImage
      ? 'Here is your image.'
      : 'I cannot make that image.'
    : chatReply(body)
  const parts: Json[] = [{ text: reply }]
  if (wantsImage) {
    const png = await pngBytes({ color: colorFor(prompt) })
    parts.push({ inlineData: { mimeType: 'image/png', data: Buffer.from(png).toString('base64') } })
  }
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP' }],
    usageMetadata: usageFor(body, reply),
  }
}

async function predictImages(body: Json): Promise<Json> {
  const prompt = String(firstInstance(body).prompt ?? '')
  const parameters = (body.parameters ?? {}) as { sampleCount?: number; aspectRatio?: string }
  const [ratioWidth = 1, ratioHeight = 1] = (parameters.aspectRatio ?? '1:1').split(':').map(Number)
  const png = await pngBytes({
    width: 64,
    height: Math.round((64 * ratioHeight) / ratioWidth),
    color: colorFor(prompt),
  })
  const prediction = { bytesBase64Encoded: Buffer.from(png).toString('base64'), mimeType: 'image/png' }
  return { predictions: Array.from({ length: parameters.sampleCount ?? 1 }, () => prediction) }
}

function firstInstance(body: Json): Json {
  return ((body.instances as Json[] | undefined)?.[0] ?? {}) as Json
}
