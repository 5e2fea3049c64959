import type { ServerResponse } from 'node:http'
import { answerSpeech, answerTranscriptions } from './fake-openai/audio.ts'
import { answerChatCompletions } from './fake-openai/chat-completions.ts'
import { openaiFaultBody, sendOpenAIError } from './fake-openai/errors.ts'
import { answerImageEdits, answerImageGenerations } from './fake-openai/images.ts'
import { answerResponses } from './fake-openai/responses.ts'
import { FakeReplies } from './fake-openai/text.ts'
import {
  answerFault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
} from './loopback-server.ts'

export { readFormData } from './fake-openai/multipart.ts'

export type FakeOpenAI = LoopbackServer & {
  faults: FaultQueue
  /** Every chat answer from now on; until set, chat echoes the last user message as `echo: <text>`. */
  setReply(text: string): void
}

export interface FakeOpenAIOptions {
  /** Wait this long before answering each request. */
  latencyMs?: number
  /** Between streamed events, so a stream takes observable time (default 2 ms). */
  streamGapMs?: number
  /** The Bearer token to require (default `test-key`); null accepts any or none, like a local server. */
  apiKey?: string | null
}

const wrongKeyMessage =
  'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.'

type Route = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>

/**
 * A loopback server speaking OpenAI's HTTP API (also the OpenAI-compatible subset), under `/v1`:
 * Responses, chat completions, image generations and edits, speech and transcriptions.
 * Requests are checked the way OpenAI checks them (Bearer key, required fields) and
 * answered with small real media: PNGs coloured `colorFor(prompt)`, WAV tones.
 */
export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const { latencyMs = 0, streamGapMs = 2 } = options
  const apiKey = options.apiKey === undefined ? 'test-key' : options.apiKey
  const faults = new FaultQueue()
  const replies = new FakeReplies()
  const routes: Record<string, Route> = {
    'POST /v1/responses': (request, response) => answerResponses(request, response, replies, streamGapMs),
    'POST /v1/chat/completions': (request, response) => answerChatCompletions(request, response, replies, streamGapMs),
    'POST /v1/images/generations': answerImageGenerations,
    'POST /v1/images/edits': answerImageEdits,
    'POST /v1/audio/speech': answerSpeech,
    'POST /v1/audio/transcriptions': answerTranscriptions,
  }

  const server = await startLoopbackServer(async (request, response) => {
    if (apiKey !== null && request.headers.authorization !== `Bearer ${apiKey}`) {
      sendOpenAIError(response, 401, wrongKeyMessage, { code: 'invalid_api_key' })
      return
    }
    const fault = faults.next()
    if (await answerFault(response, fault && { body: openaiFaultBody(fault.status), ...fault })) return
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
    const route = routes[`${request.method} ${request.path}`]
    if (!route) {
      sendOpenAIError(response, 404, `Invalid URL (${request.method} ${request.path})`)
      return
    }
    await route(request, response)
  })
  return Object.assign(server, { faults, setReply: (text: string) => replies.set(text) })
}
