import { type NodeRegistry, PatchbayError } from '@patchbay/core'
import { accountsFor } from '@patchbay/db'
import { builtinRegistry } from '@patchbay/nodes'
import {
  checkReadiness,
  configFromEnv,
  createPrometheusMetrics,
  type EndpointServer,
  openRuntime,
  type Runtime,
  runtimeReadinessChecks,
  startEndpointServer,
} from '@patchbay/runtime'
import { z } from 'zod'
import { nodeCredentials } from './node-credentials.ts'
import { processBasics } from './process-basics.ts'
import { loadKeyring, Vault } from './vault/index.ts'

export interface BootedWorker {
  runtime: Runtime
  /** Where `/health`, `/ready` and `/metrics` answer. */
  probesUrl: string
  concurrency: number
  /** Stops taking tasks, lets running attempts finish within the grace period, hands back the rest. */
  close(): Promise<void>
}

const workerEnvSchema = z.object({
  PATCHBAY_WORKER_HOST: z.string().min(1).default('127.0.0.1'),
  PATCHBAY_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  PATCHBAY_METRICS_TOKEN: z.string().optional(),
})

/**
 * Starts a `patchbay worker`: executes node tasks from BullMQ with each organisation's vault,
 * advances runs under their row locks, sweeps for lost work, and answers probes on
 * PATCHBAY_WORKER_HOST:PATCHBAY_WORKER_PORT. Needs DATABASE_URL and REDIS_URL.
 */
export async function bootWorker(options: {
  env?: NodeJS.ProcessEnv
  concurrency?: number
  /** The node types this worker can run; the built-in library by default. */
  registry?: NodeRegistry
}): Promise<BootedWorker> {
  const env = options.env ?? process.env
  const runtimeConfig = configFromEnv(env)
  if (runtimeConfig.queue?.kind !== 'bullmq') {
    throw new PatchbayError(
      'INVALID_CONFIG',
      'a worker needs REDIS_URL and DATABASE_URL: it takes node tasks from Redis and shares run state through PostgreSQL',
    )
  }
  const parsed = workerEnvSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new PatchbayError('INVALID_CONFIG', `invalid configuration: ${problems.join('; ')}`)
  }
  const probes = parsed.data
  const { logger, gateway, resourceLimits, credentials } = processBasics(env, runtimeConfig, [
    probes.PATCHBAY_METRICS_TOKEN,
  ])
  let runtime: Runtime | undefined
  const prom = createPrometheusMetrics({
    role: 'worker',
    queueCounts: () => runtime?.engine.queueCounts() ?? Promise.resolve({}),
  })
  const models = prom.instrumentGateway(gateway, { knownProvider: (id) => gateway.providers.get(id) !== undefined })
  // The vault must be bound before the first task arrives, so the engine starts after it.
  runtime = await openRuntime(runtimeConfig, {
    registry: options.registry ?? builtinRegistry,
    logger,
    purpose: 'patchbay worker',
    models,
    resourceLimits,
    role: 'worker',
    metrics: prom.metrics,
    ...(options.concurrency ? { workerConcurrency: options.concurrency } : {}),
  })
  const opened = runtime
  let endpoints: EndpointServer | undefined
  try {
    const accounts = accountsFor(opened.store)
    const { keyring } = await loadKeyring({ env, dataDir: runtimeConfig.dataDir, logger })
    const vault = new Vault({ accounts, keyring })
    credentials.bind(nodeCredentials(vault.credentials(), env))
    const checks = runtimeReadinessChecks(opened)
    endpoints = await startEndpointServer({
      host: probes.PATCHBAY_WORKER_HOST,
      port: probes.PATCHBAY_WORKER_PORT,
      ready: () => checkReadiness(checks),
      metrics: prom,
      ...(probes.PATCHBAY_METRICS_TOKEN ? { metricsToken: probes.PATCHBAY_METRICS_TOKEN } : {}),
    })
  } catch (error) {
    await opened.close()
    throw error
  }
  const probesServer = endpoints
  let closing: Promise<void> | undefined
  return {
    runtime: opened,
    probesUrl: probesServer.url,
    concurrency: options.concurrency ?? runtimeConfig.queue.workerConcurrency,
    close() {
      closing ??= (async () => {
        await opened.close()
        await probesServer.close()
      })()
      return closing
    },
  }
}
