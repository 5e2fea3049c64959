import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env.ts'
import { invalidRequest } from './errors.ts'

/**
 * A router whose request validation failures become the API's 400 (`INVALID_REQUEST` with the
 * zod issues) instead of zod-openapi's default body.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw invalidRequest(result.target === 'json' ? 'body' : result.target, result.error)
    },
  })
}
