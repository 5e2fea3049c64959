import { createHmac } from 'node:crypto'
import { PatchbayError } from '@patchbay/core'
import { type Accounts, DEFAULT_ORG_ID, sqlDatabaseOf } from '@patchbay/db'
import type { Gateway } from '@patchbay/providers'
import type { Logger, MetricsRenderer, ReadinessCheck, Runtime } from '@patchbay/runtime'
import { UploadTokens } from './assets/upload-tokens.ts'
import { createAuth } from './auth/better-auth.ts'
import type { ServerConfig } from './config.ts'
import { RunAdmission } from './runs/run-admission.ts'
import { RateLimits, type SharedRateCounts } from './security/rate-limits.ts'
import { UrlSigner } from './security/url-signer.ts'
import type { Services } from './services.ts'
import type { Vault } from './vault/index.ts'

export interface ServicesInput {
  config: ServerConfig
  runtime: Runtime
  accounts: Accounts
  gateway: Gateway
  vault: Vault
  /** Signs session cookies and asset links; the same in every process of an installation. */
  secret: string
  logger: Logger
  /** Served at `GET /metrics` (404 without). */
  metrics?: MetricsRenderer
  /** Extra dependencies `GET /ready` checks, by name (the database, asset store and engine are always checked). */
  readinessChecks?: Record<string, ReadinessCheck>
}

/** Builds what the routes use on an open runtime, and makes sure the default organisation exists. */
export async function openServices(input: ServicesInput): Promise<Services> {
  if (input.runtime.store.kind === 'memory') {
    throw new PatchbayError('INVALID_CONFIG', 'the server needs a SQL store (PGlite or PostgreSQL)')
  }
  const { accounts } = input
  await accounts.ensureOrg({ id: DEFAULT_ORG_ID, name: 'Default' })
  const auth = createAuth({
    database: sqlDatabaseOf(input.runtime.store),
    accounts,
    secret: input.secret,
    publicUrl: input.config.publicUrl,
    trustedOrigins: input.config.trustedOrigins,
    logger: input.logger,
  })
  const signer = new UrlSigner(createHmac('sha256', input.secret).update('patchbay asset links').digest())
  return {
    config: input.config,
    runtime: input.runtime,
    accounts,
    auth,
    vault: input.vault,
    gateway: input.gateway,
    rateLimits: new RateLimits(input.config.rateLimits, sharedRateCounts(input.runtime, input.logger)),
    runAdmission: RunAdmission.forPool(input.runtime.config.dbPoolSize ?? 10),
    signer,
    uploadTokens: new UploadTokens(signer.derive('patchbay upload tokens')),
    logger: input.logger,
    ...(input.metrics === undefined ? {} : { metrics: input.metrics }),
    ...(input.readinessChecks === undefined ? {} : { readinessChecks: input.readinessChecks }),
  }
}

/** With the scaled deployment's Redis, every API instance spends from the same rate budgets. */
function sharedRateCounts(runtime: Runtime, logger: Logger): SharedRateCounts | undefined {
  const queue = runtime.config.queue
  return queue?.kind === 'bullmq' ? { redisUrl: queue.redisUrl, prefix: queue.prefix, logger } : undefined
}
