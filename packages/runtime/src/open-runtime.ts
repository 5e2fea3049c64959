import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelGateway, NodeRegistry } from '@patchbay/core'
import { openStore, type Store } from '@patchbay/db'
import { type AssetStore, LocalAssetStore } from '@patchbay/storage'
import type { RuntimeConfig } from './config.ts'
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts'
import { Engine } from './engine.ts'
import { type Logger, silentLogger } from './logger.ts'

export interface Runtime {
  engine: Engine
  store: Store
  assets: AssetStore
  config: RuntimeConfig
  close(): Promise<void>
}

/**
 * Opens the Store, AssetStore and Engine a process runs on: embedded PGlite and local files
 * under `dataDir` by default, PostgreSQL when `databaseUrl` is set.
 */
export async function openRuntime(
  config: RuntimeConfig,
  options: {
    registry: NodeRegistry
    logger?: Logger
    purpose: string
    baseDir?: string
    /** What model nodes call (without it they fail with NO_MODEL_GATEWAY). */
    models?: ModelGateway
    /** Concurrency per resource key, e.g. `{ 'provider:fal': 50 }`. */
    resourceLimits?: Record<string, number>
  },
): Promise<Runtime> {
  await mkdir(config.dataDir, { recursive: true })
  const lock: DataDirLock | undefined = config.databaseUrl
    ? undefined
    : await lockDataDir(config.dataDir, options.purpose)
  let store: Store
  try {
    store = await openStore({
      dataDir: config.dataDir,
      ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    })
  } catch (error) {
    await lock?.release()
    throw error
  }
  const assets = new LocalAssetStore({ root: join(config.dataDir, 'assets') })
  const engine = new Engine({
    store,
    assets,
    registry: options.registry,
    concurrency: config.concurrency,
    perRunConcurrency: config.perRunConcurrency,
    fileRoots: config.fileRoots,
    allowPrivateHosts: config.allowPrivateHosts,
    ...(options.baseDir ? { baseDir: options.baseDir } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    logger: options.logger ?? silentLogger,
  })
  let closing: Promise<void> | undefined
  return {
    engine,
    store,
    assets,
    config,
    close() {
      closing ??= (async () => {
        await engine.close()
        await store.close()
        await lock?.release()
      })()
      return closing
    },
  }
}
