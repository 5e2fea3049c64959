import type { ServerResponse } from 'node:http'
import { sendJson } from '../loopback-server.ts'

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export function openaiErrorBody(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
) {
  return { error: { message, type, param, code } }
}

export function sendOpenAIError(
  response: ServerResponse,
  status: number,
  message: string,
  options: { type?: string; code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
): void {
  const body = openaiErrorBody(message, options.type ?? 'invalid_request_error', options.code ?? null, options.param)
  sendJson(response, status, body, options.headers)
}

/** The body OpenAI would send with a status, for scripted faults that do not bring their own. */
export function openaiFaultBody(status: number) {
  if (status === 429) return openaiErrorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded')
  if (status === 400) return openaiErrorBody('Invalid request', 'invalid_request_error')
  if (status === 401) return openaiErrorBody('Incorrect API key provided', 'invalid_request_error', 'invalid_api_key')
  if (status === 503) return openaiErrorBody('The engine is currently overloaded', 'server_error')
  return openaiErrorBody('The server had an error while processing your request', 'server_error')
}

/** Answers 400 the way OpenAI does when a required field is missing or mistyped; true when it did. */
export function rejectMissing(response: ServerResponse, body: Record<string, unknown>, required: string[]): boolean {
  for (const field of required) {
    const value = body[field]
    if (value === undefined || value === null || value === '') {
      sendOpenAIError(response, 400, `Missing required parameter: '${field}'.`, {
        code: 'missing_required_parameter',
        param: field,
      })
      return true
    }
  }
  return false
}
