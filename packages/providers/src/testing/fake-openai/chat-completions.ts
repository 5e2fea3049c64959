import type { ServerResponse } from 'node:http'
import { type RecordedRequest, sendJson, sendSse } from '../loopback-server.ts'
import { rejectMissing, sendOpenAIError } from './errors.ts'
import { contentText, countTokens, type FakeReplies, textChunks } from './text.ts'

/** `POST /v1/chat/completions`: streamed chunks (usage last when asked for, then `[DONE]`) or one JSON body. */
export async function answerChatCompletions(
  request: RecordedRequest,
  response: ServerResponse,
  replies: FakeReplies,
  streamGapMs: number,
): Promise<void> {
  const body = (request.json ?? {}) as Record<string, unknown>
  if (rejectMissing(response, body, ['model', 'messages'])) return
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    sendOpenAIError(response, 400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", {
      param: 'messages',
      code: 'empty_array',
    })
    return
  }

  const messages = body.messages as Array<{ role?: string; content?: unknown }>
  const texts = messages.map((message) => contentText(message.content))
  const lastUser = messages.findLastIndex((message) => message.role === 'user')
  const text = replies.answer(lastUser >= 0 ? (texts[lastUser] ?? '') : '')
  const promptTokens = countTokens(...texts)
  const completionTokens = countTokens(text)
  const usage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  }
  const base = {
    id: `chatcmpl-${Date.now().toString(36)}`,
    created: Math.floor(Date.now() / 1000),
    model: String(body.model),
  }

  if (body.stream !== true) {
    const message = { role: 'assistant', content: text, refusal: null }
    sendJson(response, 200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
      usage,
    })
    return
  }

  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    data: { ...base, object: 'chat.completion.chunk', choices, ...extra },
  })
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true
  await sendSse(
    response,
    [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      ...textChunks(text).map((content) => chunk([{ index: 0, delta: { content }, finish_reason: null }])),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      ...(includeUsage ? [chunk([], { usage })] : []),
      { data: '[DONE]' },
    ],
    streamGapMs,
  )
}
