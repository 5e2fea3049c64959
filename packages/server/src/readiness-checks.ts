import { assetStoreCheck, type ReadinessCheck, type Runtime } from '@patchbay/runtime'

/**
 * What `/ready` checks in every process, API server or worker: the database, the asset store,
 * and `extra` (the engine's Redis, when it has one).
 */
export function readinessChecks(
  runtime: Runtime,
  extra: Record<string, ReadinessCheck> = {},
): Record<string, ReadinessCheck> {
  return { database: () => runtime.store.ping(), assets: assetStoreCheck(runtime.assets), ...extra }
}
