import { ApiError } from '@patchbay/sdk'

interface Issue {
  message?: unknown
  path?: unknown
}

function issuesOf(details: unknown): Issue[] {
  if (!details || typeof details !== 'object' || !('issues' in details)) return []
  const issues = (details as { issues: unknown }).issues
  return Array.isArray(issues) ? (issues as Issue[]) : []
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return trimmed ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : trimmed
}

/**
 * A sentence a person can read for any thrown value: an {@link ApiError}'s message (with the
 * first validation issues when the message alone is vague), a network failure, or anything else.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0 || error.code === 'HTTP_502' || error.code === 'HTTP_504') {
      return 'The Patchbay server is not reachable. Is it running?'
    }
    const issues = issuesOf(error.details)
    const extra = issues
      .slice(0, 3)
      .map((issue) => (typeof issue.message === 'string' ? issue.message : ''))
      .filter((message) => message && !error.message.includes(message))
    return sentence([error.message, ...extra].join('; '))
  }
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) {
    return 'The Patchbay server is not reachable. Check your connection.'
  }
  if (error instanceof Error) return sentence(error.message)
  return 'Something went wrong.'
}

/** Whether `error` is an API error with this status (and code, if given). */
export function isApiError(error: unknown, status: number, code?: string): error is ApiError {
  return error instanceof ApiError && error.status === status && (code === undefined || error.code === code)
}
