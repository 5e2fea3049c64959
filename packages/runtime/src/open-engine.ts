import type { ModelGateway, NodeRegistry } from '@patchbay/core'
import type { Store } from '@patchbay/db'
import type { AssetStore } from '@patchbay/storage'
import { ClusterEngine } from './cluster/cluster-engine.ts'
import { EventRelay } from './cluster/event-relay.ts'
import type { RuntimeConfig } from './config.ts'
import { Engine } from './engine.ts'
import { type Logger, silentLogger } from './logger.ts'
import type { EngineMetrics } from './metrics/engine-metrics.ts'
import { BullmqQueue } from './queue/bullmq-queue.ts'
import type { RunEngine } from './run-engine.ts'

/** What a process of a scaled deployment does with node tasks. */
export type ProcessRole = 'all' | 'api' | 'worker'

export interface OpenEngineOptions {
  store: Store
  assets: AssetStore
  registry: NodeRegistry
  logger?: Logger
  baseDir?: string
  /** What model nodes call (without it they fail with NO_MODEL_GATEWAY). */
  models?: ModelGateway
  /** Concurrency per resource key, e.g. `{ 'provider:fal': 50 }`. */
  resourceLimits?: Record<string, number>
  /**
   * With a BullMQ queue: `api` only produces tasks (`start --no-worker`), `worker` only
   * executes them (`patchbay worker`), `all` does both. Ignored by the embedded engine.
   */
  role?: ProcessRole
  /** Overrides PATCHBAY_WORKER_CONCURRENCY (`patchbay worker --concurrency`). */
  workerConcurrency?: number
  metrics?: EngineMetrics
}

/** The embedded engine, or, with `REDIS_URL`, the cluster engine on BullMQ (started). */
export async function openEngine(config: RuntimeConfig, options: OpenEngineOptions): Promise<RunEngine> {
  const logger = options.logger ?? silentLogger
  const common = {
    store: options.store,
    assets: options.assets,
    registry: options.registry,
    perRunConcurrency: config.perRunConcurrency,
    fileRoots: config.fileRoots,
    allowPrivateHosts: config.allowPrivateHosts,
    logger,
    ...(options.baseDir ? { baseDir: options.baseDir } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  }
  if (config.queue?.kind !== 'bullmq') {
    return new Engine({
      ...common,
      concurrency: config.concurrency,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    })
  }
  const role = options.role ?? 'all'
  const queue = new BullmqQueue({
    redisUrl: config.queue.redisUrl,
    prefix: config.queue.prefix,
    concurrency: role === 'api' ? 0 : (options.workerConcurrency ?? config.queue.workerConcurrency),
    leaseMs: config.queue.leaseMs,
    logger,
    ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
  })
  const relay = new EventRelay({ redisUrl: config.queue.redisUrl, prefix: config.queue.prefix, logger })
  const engine = new ClusterEngine({
    ...common,
    queue,
    relay,
    executes: role !== 'api',
    sweepIntervalMs: config.queue.sweepIntervalMs,
    staleAfterMs: config.queue.leaseMs,
    shutdownGraceMs: config.queue.shutdownGraceMs,
  })
  try {
    await engine.start()
  } catch (error) {
    await engine.close()
    throw error
  }
  return engine
}
