import { type Gateway, gatewayFromEnv } from '@patchbay/providers'
import type { Logger, RuntimeConfig } from '@patchbay/runtime'
import pino from 'pino'
import { createLogger, SecretRedactor } from './logging/index.ts'
import { deferredCredentials, operatorSecrets } from './node-credentials.ts'

/** What every Patchbay process (API server or worker) starts from. */
export interface ProcessBasics {
  logger: Logger
  redactor: SecretRedactor
  gateway: Gateway
  resourceLimits: Record<string, number>
  /** Bind the vault to it once the Store is open; node calls wait for that. */
  credentials: ReturnType<typeof deferredCredentials>
}

/**
 * Logs as JSON lines on stderr (stdout carries only what the command prints for people), with
 * every secret the process knows redacted: provider keys, the S3 secret and `extraSecrets`;
 * and the model gateway, whose credentials come from the vault once it is bound.
 */
export function processBasics(
  env: NodeJS.ProcessEnv,
  runtimeConfig: RuntimeConfig,
  extraSecrets: (string | undefined)[],
): ProcessBasics {
  const redactor = new SecretRedactor()
  const { logger } = createLogger({
    level: env.PATCHBAY_LOG_LEVEL ?? 'info',
    redactor,
    destination: pino.destination({ fd: 2, sync: true }),
  })
  const credentials = deferredCredentials()
  const { gateway, resourceLimits } = gatewayFromEnv(env, { credentials })
  for (const value of operatorSecrets(gateway, env)) redactor.add(value)
  // The config never prints it, but an S3 error could quote it; the redactor catches it anywhere.
  if (runtimeConfig.assets?.kind === 's3' && runtimeConfig.assets.credentials) {
    redactor.add(runtimeConfig.assets.credentials.secretAccessKey)
  }
  for (const secret of extraSecrets) if (secret) redactor.add(secret)
  return { logger, redactor, gateway, resourceLimits, credentials }
}
