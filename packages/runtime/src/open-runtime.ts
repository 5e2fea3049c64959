import { mkdir } from 'node:fs/promises'
import { openStore, type Store } from '@patchbay/db'
import type { AssetStore } from '@patchbay/storage'
import type { RuntimeConfig } from './config.ts'
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts'
import { openAssetStore } from './open-asset-store.ts'
import { type OpenEngineOptions, openEngine } from './open-engine.ts'
import type { RunEngine } from './run-engine.ts'

export interface Runtime {
  engine: RunEngine
  store: Store
  assets: AssetStore
  config: RuntimeConfig
  close(): Promise<void>
}

/**
 * Opens the Store, AssetStore and Engine a process runs on: embedded PGlite and local files
 * under `dataDir` by default, PostgreSQL when `databaseUrl` is set, an S3 bucket when
 * `assets` says so.
 */
export async function openRuntime(
  config: RuntimeConfig,
  options: Omit<OpenEngineOptions, 'store' | 'assets'> & { purpose: string },
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
      maxConnections: config.dbPoolSize,
    })
  } catch (error) {
    await lock?.release()
    throw error
  }
  let assets: AssetStore
  try {
    assets = await openAssetStore(config)
  } catch (error) {
    await store.close()
    await lock?.release()
    throw error
  }
  let engine: RunEngine
  try {
    engine = await openEngine(config, { ...options, store, assets })
  } catch (error) {
    await store.close()
    await assets.close?.()
    await lock?.release()
    throw error
  }
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
        await assets.close?.()
        await lock?.release()
      })()
      return closing
    },
  }
}
