import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { ApiError, errorBody } from '../api/errors.ts'
import { hashToken } from './api-key-format.ts'

/**
 * Mounts better-auth at /api/auth/* (sign-up, sign-in, sign-out, session…), adding what the
 * library leaves to us: our rate limit on sign-in, the invitation-only sign-up policy, and the
 * API's error format. Session tokens travel only in the HTTP-only cookie, never in a body.
 */
export function mountAuthRoutes(app: Hono<AppEnv>): void {
  app.on(['GET', 'POST'], '/api/auth/*', async (c) => {
    const { auth, rateLimits } = c.var.services
    const path = c.req.path
    if (c.req.method === 'POST' && path.endsWith('/sign-in/email')) {
      const email = await emailOf(c)
      await rateLimits.consume('signIn', `${clientAddress(c)}|${email}`)
    }
    if (c.req.method === 'POST' && path.endsWith('/sign-up/email')) await checkSignUpAllowed(c)
    const response = await auth.handler(c.req.raw)
    return await normalize(response)
  })
}

async function emailOf(c: Context<AppEnv>): Promise<string> {
  try {
    const body = (await c.req.raw.clone().json()) as { email?: unknown }
    return typeof body.email === 'string' ? body.email.toLowerCase() : ''
  } catch {
    return ''
  }
}

function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

async function checkSignUpAllowed(c: Context<AppEnv>): Promise<void> {
  const { config, accounts } = c.var.services
  if (config.signup === 'open' || (await accounts.countUsers()) === 0) return
  const token = c.req.query('invitation')
  const invitation = token ? await accounts.getInvitationByTokenHash(hashToken(token)) : undefined
  const email = await emailOf(c)
  const pending =
    invitation && !invitation.acceptedAt && !invitation.revokedAt && invitation.expiresAt.getTime() > Date.now()
  if (!pending || invitation.email !== email) {
    throw new ApiError(
      403,
      'SIGNUP_CLOSED',
      'this server only creates accounts for invited people: open the invitation link you were sent',
    )
  }
}

/** better-auth's `{ code, message }` errors in our format; session tokens removed from bodies. */
async function normalize(response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? ''
  if (!type.includes('application/json')) return response
  const text = await response.text()
  let body: unknown
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    return new Response(text, response)
  }
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  if (response.status >= 400) {
    const record = (body ?? {}) as { code?: unknown; message?: unknown }
    const code = typeof record.code === 'string' && record.code ? record.code : `AUTH_${response.status}`
    const message = typeof record.message === 'string' && record.message ? record.message : 'authentication failed'
    return new Response(JSON.stringify(errorBody(code, message)), { status: response.status, headers })
  }
  if (body && typeof body === 'object' && 'token' in body) delete (body as { token?: unknown }).token
  return new Response(JSON.stringify(body), { status: response.status, headers })
}
