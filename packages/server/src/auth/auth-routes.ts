import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context, Hono } from 'hono'
import type { AppEnv } from '../api/env.ts'
import { ApiError, errorBody } from '../api/errors.ts'
import { hashToken } from './api-key-format.ts'

/**
 * Mounts better-auth at /api/auth/* (sign-up, sign-in, sign-out, session…), adding what the
 * library leaves to us: our rate limits on sign-in and sign-up, the invitation-only sign-up
 * policy, and the API's error format. Session tokens travel only in the HTTP-only cookie, never
 * in a body.
 */
export function mountAuthRoutes(app: Hono<AppEnv>): void {
  app.on(['GET', 'POST'], '/api/auth/*', async (c) => {
    const { auth, rateLimits } = c.var.services
    const path = c.req.path
    if (c.req.method === 'POST' && path.endsWith('/sign-in/email')) {
      const address = clientAddress(c)
      const email = await emailOf(c)
      // Per address whatever the email (password spraying), per address and email (guessing one
      // password), and per email from anywhere (guessing it from many addresses).
      await rateLimits.consume('signInPerAddress', address)
      await rateLimits.consume('signIn', `${address}|${email}`)
      if (email) await rateLimits.consume('signInPerAccount', email)
    }
    if (c.req.method === 'POST' && path.endsWith('/sign-up/email')) {
      // Each account costs a password hash and an organisation.
      const address = clientAddress(c)
      await rateLimits.consume('signUp', address)
      await rateLimits.consume('signUpPerHour', address)
      await checkSignUpAllowed(c)
    }
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
  if (!type.includes('application/json')) return response.status >= 400 ? bareError(response) : response
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
  return new Response(JSON.stringify(withoutSessionTokens(body, 0)), { status: response.status, headers })
}

/**
 * The body without any `token` field: sign-in's top-level one, `get-session`'s `session.token`
 * and every session of `list-sessions`. The cookie is the only place a session token travels.
 */
function withoutSessionTokens(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 3) return value
  if (Array.isArray(value)) return value.map((item) => withoutSessionTokens(item, depth + 1))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key !== 'token') copy[key] = withoutSessionTokens(item, depth + 1)
  }
  return copy
}

/** An error better-auth answers without a JSON body (an unknown route's empty 404) in our format. */
function bareError(response: Response): Response {
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.set('content-type', 'application/json')
  const body =
    response.status === 404
      ? errorBody('NOT_FOUND', 'there is no such authentication endpoint')
      : errorBody(`AUTH_${response.status}`, 'authentication failed')
  return new Response(JSON.stringify(body), { status: response.status, headers })
}
