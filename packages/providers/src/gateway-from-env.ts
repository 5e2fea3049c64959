import { PatchbayError } from '@patchbay/core'
import { z } from 'zod'
import type { CredentialLookup } from './credentials.ts'
import { Gateway } from './gateway.ts'

const envSchema = z.object({
  PATCHBAY_PROVIDER_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  PATCHBAY_PROVIDER_POLL_MS: z.coerce.number().int().positive().default(2000),
})

/**
 * The gateway and per-provider concurrency limits of a process, from its environment
 * (docs/providers.md lists every variable). A bad setting is an INVALID_CONFIG error at start.
 */
export function gatewayFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: { credentials?: CredentialLookup } = {},
): { gateway: Gateway; resourceLimits: Record<string, number> } {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  try {
    const gateway = new Gateway({
      env,
      requestTimeoutMs: parsed.data.PATCHBAY_PROVIDER_TIMEOUT_MS,
      pollIntervalMs: parsed.data.PATCHBAY_PROVIDER_POLL_MS,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    })
    return { gateway, resourceLimits: gateway.providers.concurrencyLimits(env) }
  } catch (error) {
    if (error instanceof PatchbayError) throw error
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${(error as Error).message}`)
  }
}
