/** An error answer of the API: its status, stable `code`, readable `message` and `details`. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: unknown

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
  }

  /** Reads `{ error: { code, message, details } }`, or describes a body that is not that. */
  static async from(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '')
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown } }
      if (body.error?.code) {
        return new ApiError(response.status, body.error.code, body.error.message ?? body.error.code, body.error.details)
      }
    } catch {
      // Not JSON: a proxy's page, a crash.
    }
    return new ApiError(
      response.status,
      `HTTP_${response.status}`,
      `the server answered ${response.status} ${response.statusText}`.trim(),
    )
  }
}
