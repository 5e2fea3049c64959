import { PatchbayError } from '@patchbay/core'
import { z } from 'zod'

/** Settings of the HTTP server, read from the environment (documented in docs/configuration.md). */
export interface ServerConfig {
  /** Patchbay's version, reported by /health and the OpenAPI document. */
  version: string
  port: number
  host: string
  /** Anonymous requests over loopback act as the default organisation's owner (see docs/security.md). */
  localMode: boolean
  /** Origins allowed to send cookie-authenticated requests and read responses (CORS). */
  trustedOrigins: string[]
  /** The URL browsers reach this server at (cookies, signed links). */
  publicUrl: string
  /** `open`: anyone may create an account; `invite`: only someone holding an invitation. */
  signup: 'open' | 'invite'
  /** Largest JSON body accepted. */
  maxBodyBytes: number
  /** Largest uploaded asset. */
  maxUploadBytes: number
  /**
   * Requests allowed per minute in each bucket (per hour for `signUpPerHour`; 0 disables it).
   * Who shares each budget: the "Rate limits" table in docs/security.md.
   */
  rateLimits: {
    runs: number
    runsPerOrg: number
    uploads: number
    signIn: number
    signInPerAddress: number
    signInPerAccount: number
    signUp: number
    signUpPerHour: number
    /** Credential creations and updates per minute per organisation. */
    credentials: number
  }
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`; unset, anyone may scrape it. */
  metricsToken?: string
}

const int = (fallback: number) => z.coerce.number().int().min(0).default(fallback)

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PATCHBAY_LOCAL_MODE: z.enum(['auto', 'on', 'off']).default('auto'),
  PATCHBAY_PUBLIC_URL: z.url().optional(),
  PATCHBAY_CORS_ORIGINS: z.string().optional(),
  PATCHBAY_SIGNUP: z.enum(['open', 'invite']).default('open'),
  PATCHBAY_MAX_BODY_BYTES: int(5 * 1024 * 1024),
  PATCHBAY_MAX_UPLOAD_BYTES: int(1024 * 1024 * 1024),
  PATCHBAY_RATE_LIMIT_RUNS: int(300),
  PATCHBAY_RATE_LIMIT_UPLOADS: int(120),
  PATCHBAY_RATE_LIMIT_SIGN_IN: int(10),
  PATCHBAY_RATE_LIMIT_RUNS_PER_ORG: int(1000),
  PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ADDRESS: int(30),
  PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ACCOUNT: int(20),
  PATCHBAY_RATE_LIMIT_SIGN_UP: int(5),
  PATCHBAY_RATE_LIMIT_SIGN_UP_PER_HOUR: int(20),
  PATCHBAY_RATE_LIMIT_CREDENTIALS: int(30),
  PATCHBAY_METRICS_TOKEN: z.string().optional(),
})

/** Whether `host` names only this machine (so nothing off it can connect). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env, version = '0.1.0'): ServerConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  const values = parsed.data
  const loopback = isLoopbackHost(values.HOST)
  if (values.PATCHBAY_LOCAL_MODE === 'on' && !loopback) {
    throw new PatchbayError(
      'INVALID_CONFIG',
      `PATCHBAY_LOCAL_MODE=on needs HOST to be a loopback address (127.0.0.1, ::1 or localhost), not ${values.HOST}: ` +
        'local mode lets anonymous requests act as the owner, which must never be reachable from another machine',
    )
  }
  const displayHost = values.HOST.includes(':') ? `[${values.HOST}]` : values.HOST
  const publicUrl = (values.PATCHBAY_PUBLIC_URL ?? `http://${displayHost}:${values.PORT}`).replace(/\/$/, '')
  const extra = (values.PATCHBAY_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter((origin) => origin.length > 0)
  return {
    version,
    port: values.PORT,
    host: values.HOST,
    localMode: loopback && values.PATCHBAY_LOCAL_MODE !== 'off',
    publicUrl,
    trustedOrigins: [...new Set([new URL(publicUrl).origin, ...extra])],
    signup: values.PATCHBAY_SIGNUP,
    maxBodyBytes: values.PATCHBAY_MAX_BODY_BYTES,
    maxUploadBytes: values.PATCHBAY_MAX_UPLOAD_BYTES,
    rateLimits: {
      runs: values.PATCHBAY_RATE_LIMIT_RUNS,
      uploads: values.PATCHBAY_RATE_LIMIT_UPLOADS,
      signIn: values.PATCHBAY_RATE_LIMIT_SIGN_IN,
      runsPerOrg: values.PATCHBAY_RATE_LIMIT_RUNS_PER_ORG,
      signInPerAddress: values.PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ADDRESS,
      signInPerAccount: values.PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ACCOUNT,
      signUp: values.PATCHBAY_RATE_LIMIT_SIGN_UP,
      signUpPerHour: values.PATCHBAY_RATE_LIMIT_SIGN_UP_PER_HOUR,
      credentials: values.PATCHBAY_RATE_LIMIT_CREDENTIALS,
    },
    // An empty value (`PATCHBAY_METRICS_TOKEN=` in a compose file) means unset, not "the empty token".
    ...(values.PATCHBAY_METRICS_TOKEN ? { metricsToken: values.PATCHBAY_METRICS_TOKEN } : {}),
  }
}
