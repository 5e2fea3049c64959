import { accountsFor } from '@patchbay/db'
import { builtinRegistry } from '@patchbay/nodes'
import { configFromEnv, createPrometheusMetrics, openRuntime, type Runtime } from '@patchbay/runtime'
import { loadAuthSecret } from './auth-secret.ts'
import { serverConfigFromEnv } from './config.ts'
import { nodeCredentials } from './node-credentials.ts'
import { openServices } from './open-services.ts'
import { processBasics } from './process-basics.ts'
import { startServer } from './serve.ts'
import type { Services } from './services.ts'
import { loadKeyring, Vault } from './vault/index.ts'

export interface BootedServer {
  url: string
  services: Services
  /** Runs that were unfinished when the previous process stopped and now continue. */
  resumed: string[]
  close(): Promise<void>
}

/**
 * Starts the whole product from the environment: store and assets (embedded or scaled), the
 * model gateway with each organisation's vault, accounts, the engine's recovery sweep, and
 * the HTTP server.
 */
export async function bootServer(options: {
  env?: NodeJS.ProcessEnv
  version: string
  /** With REDIS_URL: `api` leaves node tasks to workers (`start --no-worker`). */
  role?: 'all' | 'api'
}): Promise<BootedServer> {
  const env = options.env ?? process.env
  const config = serverConfigFromEnv(env, options.version)
  const runtimeConfig = configFromEnv(env)
  const { logger, redactor, gateway, resourceLimits, credentials } = processBasics(env, runtimeConfig, [
    config.metricsToken,
  ])
  // `all` serves the API and runs nodes; `api` (start --no-worker) leaves the nodes to workers.
  let opened: Runtime | undefined
  const prom = createPrometheusMetrics({
    role: options.role === 'api' ? 'server' : 'all',
    queueCounts: () => opened?.engine.queueCounts() ?? Promise.resolve({}),
  })
  const models = prom.instrumentGateway(gateway, { knownProvider: (id) => gateway.providers.get(id) !== undefined })
  const runtime: Runtime = await openRuntime(runtimeConfig, {
    registry: builtinRegistry,
    logger,
    purpose: 'patchbay start',
    models,
    resourceLimits,
    role: options.role ?? 'all',
    metrics: prom.metrics,
  })
  try {
    const accounts = accountsFor(runtime.store)
    const { keyring } = await loadKeyring({ env, dataDir: runtimeConfig.dataDir, logger })
    const vault = new Vault({ accounts, keyring })
    credentials.bind(nodeCredentials(vault.credentials(), env))
    const secret = await loadAuthSecret(env, runtimeConfig.dataDir, logger)
    redactor.add(secret)
    opened = runtime
    const services = await openServices({
      config,
      runtime,
      accounts,
      gateway,
      vault,
      secret,
      logger,
      metrics: prom,
    })
    const resumed = await runtime.engine.recover()
    if (resumed.length > 0) logger.info(`resumed ${resumed.length} interrupted run(s)`, { runs: resumed })
    const server = await startServer(services, { port: config.port, host: config.host })
    return {
      url: server.url,
      services,
      resumed,
      close: async () => {
        await server.close()
        await services.rateLimits.close()
        await runtime.close()
      },
    }
  } catch (error) {
    await runtime.close()
    throw error
  }
}
