/** Base of every error Patchbay raises on purpose; `code` is stable and machine-readable. */
export class PatchbayError extends Error {
  readonly code: string
  readonly details: unknown
  constructor(code: string, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.details = options?.details
  }
}

/** One precise problem with a workflow document or run request. */
export interface ValidationIssue {
  code: string
  message: string
  /** JSON path inside the document, e.g. `["nodes", 2, "params", "width"]`. */
  path: (string | number)[]
  nodeId?: string
  edgeId?: string
  handle?: string
  field?: string
  /** Machine-readable specifics, e.g. `{ variable: 'OPENAI_API_KEY' }` for a missing credential. */
  details?: Record<string, unknown>
}

export class ValidationError extends PatchbayError {
  readonly issues: ValidationIssue[]
  constructor(issues: ValidationIssue[], message?: string) {
    super('VALIDATION_FAILED', message ?? summarizeIssues(issues), { details: { issues } })
    this.issues = issues
  }
}

export class NotFoundError extends PatchbayError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} was not found`, { details: { what, id } })
  }
}

/**
 * A dependency (the database, the task queue) is out of reach or has no capacity to spare, so
 * nothing was done: the same request may be sent again shortly (the API answers 503).
 */
export class UnavailableError extends PatchbayError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVICE_UNAVAILABLE', message, options)
  }
}

/** The node's work was aborted by cancellation. Never retried. */
export class CanceledError extends PatchbayError {
  constructor(message = 'canceled') {
    super('CANCELED', message)
  }
}

/** The node exceeded its time limit. Retried like any transient failure. */
export class TimeoutError extends PatchbayError {
  constructor(ms: number) {
    super('TIMEOUT', `timed out after ${ms} ms`, { details: { ms } })
  }
}

/**
 * A failure a node raises on purpose. `retryable: false` fails the node at once (a user
 * mistake such as a bad file); `retryAfterMs` overrides the backoff (e.g. HTTP Retry-After).
 */
export class NodeError extends PatchbayError {
  readonly retryable: boolean
  readonly retryAfterMs: number | undefined
  constructor(
    code: string,
    message: string,
    options?: { retryable?: boolean; retryAfterMs?: number; cause?: unknown; details?: unknown },
  ) {
    super(code, message, options)
    this.retryable = options?.retryable ?? false
    this.retryAfterMs = options?.retryAfterMs
  }
}

/** Serializable form of an error, as stored on a node execution and sent in events. */
export interface ErrorInfo {
  code: string
  message: string
  retryable?: boolean
  details?: unknown
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof NodeError) {
    return { code: error.code, message: error.message, retryable: error.retryable, ...detailsOf(error) }
  }
  if (error instanceof PatchbayError) return { code: error.code, message: error.message, ...detailsOf(error) }
  if (error instanceof Error) return { code: 'NODE_ERROR', message: error.message || error.name }
  return { code: 'NODE_ERROR', message: String(error) }
}

function detailsOf(error: PatchbayError): { details?: unknown } {
  return error.details === undefined ? {} : { details: error.details }
}

function summarizeIssues(issues: ValidationIssue[]): string {
  if (issues.length === 0) return 'invalid workflow'
  const first = issues[0]?.message ?? ''
  return issues.length === 1 ? first : `${first} (and ${issues.length - 1} more problems)`
}
