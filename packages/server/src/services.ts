import type { Accounts } from '@patchbay/db'
import type { Gateway } from '@patchbay/providers'
import type { Logger, MetricsRenderer, ReadinessCheck, Runtime } from '@patchbay/runtime'
import type { UploadTokens } from './assets/upload-tokens.ts'
import type { Auth } from './auth/better-auth.ts'
import type { ServerConfig } from './config.ts'
import type { RunAdmission } from './runs/run-admission.ts'
import type { RateLimits } from './security/rate-limits.ts'
import type { UrlSigner } from './security/url-signer.ts'
import type { Vault } from './vault/index.ts'

/** Everything a route may use, built once per server by `openServices`. */
export interface Services {
  config: ServerConfig
  runtime: Runtime
  accounts: Accounts
  auth: Auth
  vault: Vault
  gateway: Gateway
  rateLimits: RateLimits
  /** Bounds the run starts this process makes at once (503 beyond its queue). */
  runAdmission: RunAdmission
  signer: UrlSigner
  /** Signs and checks the ids of direct (presigned) uploads. */
  uploadTokens: UploadTokens
  logger: Logger
  /** What `GET /metrics` serves; without it the route answers 404. */
  metrics?: MetricsRenderer
  /** Checked by `GET /ready` besides the database, the asset store and what the engine depends on. */
  readinessChecks?: Record<string, ReadinessCheck>
}
