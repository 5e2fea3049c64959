import { accountsFor } from '@patchbay/db'
import { builtinRegistry } from '@patchbay/nodes'
import { gatewayFromEnv } from '@patchbay/providers'
import { configFromEnv, openRuntime, type Runtime } from '@patchbay/runtime'
import pino from 'pino'
import { loadAuthSecret } from './auth-secret.ts'
import { serverConfigFromEnv } from './config.ts'
import { createLogger, SecretRedactor } from './logging/index.ts'
import { deferredCredentials, nodeCredentials, operatorSecrets } from './node-credentials.ts'
import { openServices } from './open-services.ts'
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
export async function bootServer(options: { env?: NodeJS.ProcessEnv; version: string }): Promise<BootedServer> {
  const env = options.env ?? process.env
  const config = serverConfigFromEnv(env, options.version)
  const runtimeConfig = configFromEnv(env)
  const redactor = new SecretRedactor()
  // JSON lines on stderr, so stdout carries only what `patchbay start` prints for people.
  const { logger } = createLogger({
    level: env.PATCHBAY_LOG_LEVEL ?? 'info',
    redactor,
    destination: pino.destination({ fd: 2, sync: true }),
  })
  const credentials = deferredCredentials()
  const { gateway, resourceLimits } = gatewayFromEnv(env, { credentials })
  for (const value of operatorSecrets(gateway, env)) redactor.add(value)
  const runtime: Runtime = await openRuntime(runtimeConfig, {
    registry: builtinRegistry,
    logger,
    purpose: 'patchbay start',
    models: gateway,
    resourceLimits,
  })
  try {
    const accounts = accountsFor(runtime.store)
    const { keyring } = await loadKeyring({ env, dataDir: runtimeConfig.dataDir, logger })
    const vault = new Vault({ accounts, keyring, redactor })
    credentials.bind(nodeCredentials(vault.credentials(), env))
    const secret = await loadAuthSecret(env, runtimeConfig.dataDir, logger)
    redactor.add(secret)
    const services = await openServices({ config, runtime, accounts, gateway, vault, secret, logger })
    const resumed = await runtime.engine.recover()
    if (resumed.length > 0) logger.info(`resumed ${resumed.length} interrupted run(s)`, { runs: resumed })
    const server = await startServer(services, { port: config.port, host: config.host })
    return {
      url: server.url,
      services,
      resumed,
      close: async () => {
        await server.close()
        await runtime.close()
      },
    }
  } catch (error) {
    await runtime.close()
    throw error
  }
}
