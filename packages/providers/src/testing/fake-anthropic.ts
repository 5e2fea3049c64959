import type { ServerResponse } from 'node:http'
import { contentText, countTokens, FakeReplies, textChunks } from './fake-openai/text.ts'
import {
  answerFault,
  FaultQueue,
  type LoopbackServer,
  type RecordedRequest,
  sendJson,
  sendSse,
  startLoopbackServer,
} from './loopback-server.ts'

export type FakeAnthropic = LoopbackServer & {
  faults: FaultQueue
  /** Every answer from now on; until set, the model echoes the last user message as `echo: <text>`. */
  setReply(text: string): void
}

export interface FakeAnthropicOptions {
  /** Wait this long before answering each request. */
  latencyMs?: number
  /** Between streamed events, so a stream takes observable time (default 2 ms). */
  streamGapMs?: number
  /** The `x-api-key` to require (default `test-key`). */
  apiKey?: string
}

/** Anthropic's error body: `{ type: 'error', error: { type, message } }`. */
function anthropicError(response: ServerResponse, status: number, type: string, message: string): void {
  sendJson(response, status, { type: 'error', error: { type, message } })
}

const faultErrorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
}

function faultBody(status: number) {
  const type = faultErrorTypes[status] ?? 'api_error'
  return { type: 'error', error: { type, message: type === 'overloaded_error' ? 'Overloaded' : `fault ${status}` } }
}

/**
 * A loopback server speaking Anthropic's Messages API (`POST /v1/messages`, streamed as
 * SSE or as one JSON body), checking `x-api-key`, `anthropic-version` and the required
 * fields the way Anthropic does.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const { latencyMs = 0, streamGapMs = 2, apiKey = 'test-key' } = options
  const faults = new FaultQueue()
  const replies = new FakeReplies()

  const server = await startLoopbackServer(async (request, response) => {
    if (request.headers['x-api-key'] !== apiKey) {
      anthropicError(response, 401, 'authentication_error', 'invalid x-api-key')
      return
    }
    if (!request.headers['anthropic-version']) {
      anthropicError(response, 400, 'invalid_request_error', 'anthropic-version: header is required')
      return
    }
    const fault = faults.next()
    if (await answerFault(response, fault && { body: faultBody(fault.status), ...fault })) return
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs))
    if (request.method !== 'POST' || request.path !== '/v1/messages') {
      anthropicError(response, 404, 'not_found_error', `Not found: ${request.method} ${request.path}`)
      return
    }
    await answerMessages(request, response, replies, streamGapMs)
  })
  return Object.assign(server, { faults, setReply: (text: string) => replies.set(text) })
}

async function answerMessages(
  request: RecordedRequest,
  response: ServerResponse,
  replies: FakeReplies,
  streamGapMs: number,
): Promise<void> {
  const body = (request.json ?? {}) as Record<string, unknown>
  for (const field of ['model', 'max_tokens', 'messages']) {
    if (body[field] === undefined) {
      anthropicError(response, 400, 'invalid_request_error', `${field}: Field required`)
      return
    }
  }
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) {
    anthropicError(response, 400, 'invalid_request_error', 'max_tokens: Input should be a positive integer')
    return
  }
  const messages = body.messages as Array<{ role?: string; content?: unknown }>
  if (!Array.isArray(messages) || messages.length === 0) {
    anthropicError(response, 400, 'invalid_request_error', 'messages: at least one message is required')
    return
  }

  const texts = messages.map((message) => contentText(message.content))
  const lastUser = messages.findLastIndex((message) => message.role === 'user')
  const text = replies.answer(lastUser >= 0 ? (texts[lastUser] ?? '') : '')
  const inputTokens = countTokens(contentText(body.system), ...texts)
  const outputTokens = countTokens(text)
  const message = {
    id: `msg_${Date.now().toString(36)}`,
    type: 'message',
    role: 'assistant',
    model: String(body.model),
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: outputTokens },
  }

  if (body.stream !== true) {
    sendJson(response, 200, message)
    return
  }
  const events: Array<Record<string, unknown>> = [
    {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, usage: { input_tokens: inputTokens, output_tokens: 1 } },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'ping' },
    ...textChunks(text).map((delta) => ({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: delta },
    })),
    { type: 'content_block_stop', index: 0 },
    {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: outputTokens },
    },
    { type: 'message_stop' },
  ]
  await sendSse(
    response,
    events.map((event) => ({ event: String(event.type), data: event })),
    streamGapMs,
  )
}
