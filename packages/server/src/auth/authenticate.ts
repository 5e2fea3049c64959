import { getConnInfo } from '@hono/node-server/conninfo'
import { DEFAULT_ORG_ID, type Role } from '@patchbay/db'
import type { Context, MiddlewareHandler } from 'hono'
import type { Actor, AppEnv, Identity } from '../api/env.ts'
import { ApiError } from '../api/errors.ts'
import { isLoopbackHost } from '../config.ts'
import { apiKeyPrefix, hashApiKey } from './api-key-format.ts'
import { hasRole, lowerRole } from './roles.ts'

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
/** How often a key's `lastUsedAt` is written (not on every request). */
const touchIntervalMs = 60_000

/**
 * Works out who is calling: an API key (`Authorization: Bearer pbk_…`), a session cookie, or,
 * in single-user local mode, an anonymous request over loopback. Cookie and local callers
 * sending a state-changing request from another site are refused (CSRF).
 */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = await identify(c)
    if (identity && identity.kind !== 'apiKey' && unsafeMethods.has(c.req.method)) refuseCrossSite(c)
    c.set('identity', identity)
    await next()
  }
}

async function identify(c: Context<AppEnv>): Promise<Identity | undefined> {
  const { accounts, auth, config } = c.var.services
  const authorization = c.req.header('authorization')
  if (authorization !== undefined) {
    const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]
    if (!key?.startsWith(apiKeyPrefix)) {
      throw new ApiError(401, 'INVALID_API_KEY', 'the Authorization header must be "Bearer pbk_…" with an API key')
    }
    const now = new Date()
    const record = await accounts.findActiveApiKey(hashApiKey(key), now)
    if (!record) throw new ApiError(401, 'INVALID_API_KEY', 'this API key is unknown, revoked or expired')
    // A key never acts with more than its creator may do now (see "API keys and roles" in docs/security.md).
    if (record.createdBy !== null && record.creatorRole === null) {
      throw new ApiError(
        401,
        'INVALID_API_KEY',
        'the person who created this API key is no longer a member of its organisation',
      )
    }
    const role = record.creatorRole ? lowerRole(record.role, record.creatorRole) : record.role
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > touchIntervalMs) {
      void accounts.touchApiKey(record.id, now).catch(() => {})
    }
    return { kind: 'apiKey', apiKeyId: record.id, orgId: record.orgId, role, createdBy: record.createdBy }
  }
  if (c.req.header('cookie')?.includes('session_token')) {
    const session = await auth.api.getSession({ headers: c.req.raw.headers })
    if (session) {
      return { kind: 'user', userId: session.user.id, name: session.user.name, email: session.user.email }
    }
  }
  if (config.localMode && isLocalRequest(c)) return { kind: 'local' }
  return undefined
}

/**
 * A request local mode trusts: from a loopback socket, addressed to a loopback host name. The
 * Host check defeats DNS rebinding (a web page on evil.example resolving to 127.0.0.1).
 */
function isLocalRequest(c: Context<AppEnv>): boolean {
  let remote: string | undefined
  try {
    remote = getConnInfo(c).remote.address
  } catch {
    return false
  }
  if (!remote || !isLoopbackHost(remote.replace(/^::ffff:/, ''))) return false
  const host = c.req.header('host')
  if (!host) return false
  const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!
  return isLoopbackHost(hostname)
}

function refuseCrossSite(c: Context<AppEnv>): void {
  const origin = c.req.header('origin')
  if (origin !== undefined) {
    const { trustedOrigins } = c.var.services.config
    if (origin === new URL(c.req.url).origin || trustedOrigins.includes(origin)) return
    throw new ApiError(403, 'CROSS_SITE_REQUEST', `requests from ${origin} may not use this session`)
  }
  if (c.req.header('sec-fetch-site') === 'cross-site') {
    throw new ApiError(403, 'CROSS_SITE_REQUEST', 'cross-site requests may not use this session')
  }
}

/**
 * Requires a caller with at least `needed` in the organisation the request addresses (the
 * `X-Patchbay-Org` header or `org` query parameter; a user's first organisation by default)
 * and sets `actor`. An organisation the caller is not in answers 404, like a missing one.
 */
export function requireRole(needed: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const actor = await resolveActor(c)
    if (!hasRole(actor.role, needed)) {
      throw new ApiError(
        403,
        'FORBIDDEN',
        `this needs the ${needed} role; you are ${article(actor.role)} ${actor.role}`,
        {
          details: { needed, role: actor.role },
        },
      )
    }
    c.set('actor', actor)
    await next()
  }
}

/** The signed-in caller's identity, or 401. */
export function requireIdentity(c: Context<AppEnv>): Identity {
  const identity = c.var.identity
  if (!identity) {
    throw new ApiError(401, 'UNAUTHENTICATED', 'sign in (POST /api/auth/sign-in/email) or send an API key')
  }
  return identity
}

async function resolveActor(c: Context<AppEnv>): Promise<Actor> {
  const identity = requireIdentity(c)
  const requested = c.req.header('x-patchbay-org') ?? c.req.query('org')
  if (requested !== undefined && !/^[A-Za-z0-9_.:-]{1,200}$/.test(requested)) throw orgNotFound(requested.slice(0, 200))
  switch (identity.kind) {
    case 'apiKey':
      if (requested !== undefined && requested !== identity.orgId) throw orgNotFound(requested)
      return { identity, userId: null, orgId: identity.orgId, role: identity.role }
    case 'local':
      if (requested !== undefined && requested !== DEFAULT_ORG_ID) throw orgNotFound(requested)
      return { identity, userId: null, orgId: DEFAULT_ORG_ID, role: 'owner' }
    case 'user': {
      const { accounts } = c.var.services
      if (requested !== undefined) {
        const member = await accounts.getMember(requested, identity.userId)
        if (!member) throw orgNotFound(requested)
        return { identity, userId: identity.userId, orgId: requested, role: member.role }
      }
      const [first] = await accounts.listOrgsOfUser(identity.userId)
      if (!first) throw new ApiError(403, 'NO_ORGANISATION', 'you are not a member of any organisation')
      return { identity, userId: identity.userId, orgId: first.id, role: first.role }
    }
  }
}

function orgNotFound(id: string): ApiError {
  return new ApiError(404, 'NOT_FOUND', `organisation ${id} was not found`, { details: { what: 'organisation', id } })
}

function article(role: Role): string {
  return role === 'admin' || role === 'owner' ? 'an' : 'a'
}
