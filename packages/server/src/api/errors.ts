import { NotFoundError, PatchbayError, UnavailableError, ValidationError } from '@patchbay/core'
import { isDatabaseUnavailable } from '@patchbay/db'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'

/** The body of every error response: a stable `code`, a sentence for people, and specifics. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown }
}

/** An error a route raises on purpose, answered with `status` and the JSON error body. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode
  readonly code: string
  readonly details: unknown
  readonly headers: Record<string, string>
  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = options.details
    this.headers = options.headers ?? {}
  }
}

/** 404 for a resource that does not exist in the caller's organisation (or at all: they look alike). */
export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `${what} ${id} was not found`, { details: { what, id } })
}

/**
 * 503 `SERVICE_UNAVAILABLE` with Retry-After: the server is overloaded or a dependency is out of
 * reach, nothing was done, and the same request may be sent again.
 */
export function serviceUnavailable(message: string, retryAfterSeconds = 1): ApiError {
  return new ApiError(503, 'SERVICE_UNAVAILABLE', message, { headers: { 'retry-after': String(retryAfterSeconds) } })
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

/** Describes zod issues the way the API reports them: JSON path, message, zod's code. */
export function zodIssues(error: ZodError): { path: (string | number)[]; message: string; code: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
    message: issue.message,
    code: issue.code,
  }))
}

/** The 400 answered for a request whose body, query or params do not match the route's schema. */
export function invalidRequest(target: string, error: ZodError): ApiError {
  const issues = zodIssues(error)
  const summary = issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ')
  return new ApiError(400, 'INVALID_REQUEST', `invalid ${target}: ${summary}`, { details: { target, issues } })
}

const statusCodes: Partial<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
}

/** Maps anything a handler throws to the JSON error response; only real faults become 500. */
export function errorResponse(error: unknown, c: Context, onFault: (error: unknown) => void): Response {
  if (error instanceof ApiError) {
    return c.json(errorBody(error.code, error.message, error.details), error.status, error.headers)
  }
  if (error instanceof ValidationError) {
    return c.json(errorBody('INVALID_WORKFLOW', error.message, { issues: error.issues }), 400)
  }
  if (error instanceof NotFoundError) {
    return c.json(errorBody('NOT_FOUND', error.message, error.details), 404)
  }
  if (error instanceof PatchbayError && /^(INVALID_|UNKNOWN_|MISSING_)/.test(error.code)) {
    return c.json(errorBody(error.code, error.message, error.details), 400)
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = statusCodes[error.status] ?? 'BAD_REQUEST'
    const message = error.message || (error.status === 413 ? 'the request body is too large' : 'bad request')
    return c.json(errorBody(code, message), error.status as ContentfulStatusCode)
  }
  // A dependency out of reach, or no connection to spare before the statement ran: overload, not a fault.
  if (error instanceof UnavailableError || isDatabaseUnavailable(error)) {
    const message =
      error instanceof UnavailableError ? error.message : 'the server is busy or its database is out of reach'
    return errorResponse(serviceUnavailable(`${message}; try again shortly`), c, onFault)
  }
  onFault(error)
  return c.json(errorBody('INTERNAL', 'internal error; the server log has the details'), 500)
}
