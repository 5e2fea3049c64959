import { resolve } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import { z } from 'zod'

/** Settings of a Patchbay process, read from the environment (documented in docs/configuration.md). */
export interface RuntimeConfig {
  dataDir: string
  /** `postgres://…` selects PostgreSQL; absent means embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined
  concurrency: number
  perRunConcurrency: number
  fileRoots: string[]
  allowPrivateHosts: string[]
}

const positiveInt = z.coerce.number().int().positive()

const envSchema = z.object({
  PATCHBAY_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PATCHBAY_CONCURRENCY: positiveInt.default(256),
  PATCHBAY_RUN_CONCURRENCY: positiveInt.optional(),
  PATCHBAY_FILE_ROOTS: z.string().optional(),
  PATCHBAY_ALLOW_PRIVATE_HOSTS: z.string().optional(),
})

/**
 * Reads the configuration from `env`. `defaults.fileRoots` applies when PATCHBAY_FILE_ROOTS
 * is unset (the CLI lets workflows read its working directory; servers read nothing).
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  defaults: { fileRoots?: string[] } = {},
): RuntimeConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  const values = parsed.data
  return {
    dataDir: resolve(values.PATCHBAY_DATA_DIR),
    databaseUrl: values.DATABASE_URL,
    concurrency: values.PATCHBAY_CONCURRENCY,
    perRunConcurrency: values.PATCHBAY_RUN_CONCURRENCY ?? Number.POSITIVE_INFINITY,
    fileRoots:
      values.PATCHBAY_FILE_ROOTS === undefined
        ? (defaults.fileRoots ?? [])
        : splitList(values.PATCHBAY_FILE_ROOTS, ':').map((root) => resolve(root)),
    allowPrivateHosts: splitList(values.PATCHBAY_ALLOW_PRIVATE_HOSTS ?? '', ','),
  }
}

function splitList(text: string, separator: string): string[] {
  return text
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
}
