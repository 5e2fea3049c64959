import type { ServerResponse } from 'node:http'
import { type RecordedRequest, sendJson, sendSse } from '../loopback-server.ts'
import { rejectMissing, sendOpenAIError } from './errors.ts'
import { contentText, countTokens, type FakeReplies, textChunks } from './text.ts'

/** `POST /v1/responses`: the Responses API, streamed (the real event sequence) or as one JSON body. */
export async function answerResponses(
  request: RecordedRequest,
  response: ServerResponse,
  replies: FakeReplies,
  streamGapMs: number,
): Promise<void> {
  const body = (request.json ?? {}) as Record<string, unknown>
  if (rejectMissing(response, body, ['model', 'input'])) return
  if (typeof body.input !== 'string' && !Array.isArray(body.input)) {
    sendOpenAIError(response, 400, "Invalid type for 'input': expected a string or an array.", { param: 'input' })
    return
  }

  const { userText, allText } = inputText(body.input, body.instructions)
  const text = replies.answer(userText)
  const id = `resp_${Date.now().toString(36)}`
  const itemId = `msg_${Date.now().toString(36)}`
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model: String(body.model) }
  const outputText = { type: 'output_text', text, annotations: [] }
  const item = { id: itemId, type: 'message', status: 'completed', role: 'assistant', content: [outputText] }
  const outputTokens = countTokens(text)
  const usage = {
    input_tokens: countTokens(allText),
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: countTokens(allText) + outputTokens,
  }
  const completed = { ...base, status: 'completed', output: [item], usage }

  if (body.stream !== true) {
    sendJson(response, 200, completed)
    return
  }

  const inProgress = { ...base, status: 'in_progress', output: [], usage: null }
  const at = { item_id: itemId, output_index: 0, content_index: 0 }
  const events: Array<Record<string, unknown>> = [
    { type: 'response.created', response: inProgress },
    { type: 'response.in_progress', response: inProgress },
    { type: 'response.output_item.added', output_index: 0, item: { ...item, status: 'in_progress', content: [] } },
    { type: 'response.content_part.added', ...at, part: { ...outputText, text: '' } },
    ...textChunks(text).map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
    { type: 'response.output_text.done', ...at, text, logprobs: [] },
    { type: 'response.content_part.done', ...at, part: outputText },
    { type: 'response.output_item.done', output_index: 0, item },
    { type: 'response.completed', response: completed },
  ]
  await sendSse(
    response,
    events.map((event, index) => ({ event: String(event.type), data: { ...event, sequence_number: index } })),
    streamGapMs,
  )
}

/** The last user message's text, and all text sent (instructions, system and user), for usage. */
function inputText(input: unknown, instructions: unknown): { userText: string; allText: string } {
  if (typeof input === 'string') return { userText: input, allText: `${instructions ?? ''} ${input}` }
  const messages = input as Array<{ role?: string; content?: unknown }>
  const texts = messages.map((message) => contentText(message.content))
  const lastUser = messages.findLastIndex((message) => message.role === 'user')
  return { userText: lastUser >= 0 ? (texts[lastUser] ?? '') : '', allText: [instructions ?? '', ...texts].join(' ') }
}
