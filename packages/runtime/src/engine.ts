import {
  CanceledError,
  isTerminalRun,
  type ModelGateway,
  type NodeRegistry,
  NotFoundError,
  unavailableModelGateway,
} from '@patchbay/core'
import type { RunRecord, Store } from '@patchbay/db'
import type { AssetStore } from '@patchbay/storage'
import { ActiveRun } from './active-run.ts'
import { CommitQueue } from './commit-queue.ts'
import { EventBus, type RunEventListener } from './event-bus.ts'
import { type Logger, silentLogger } from './logger.ts'
import type { EngineMetrics } from './metrics/engine-metrics.ts'
import { contextPolicies } from './node-context.ts'
import { nodeAssetsByOrg } from './org-assets.ts'
import { InlineQueue } from './queue/inline-queue.ts'
import type { TaskQueue } from './queue/task-queue.ts'
import { recoverRun } from './recovery.ts'
import { RunDriver } from './run-driver.ts'
import type { RunEngine } from './run-engine.ts'
import { prepareRun, type StartRunRequest, startedBatch } from './run-request.ts'

export interface EngineOptions {
  store: Store
  assets: AssetStore
  registry: NodeRegistry
  /** Defaults to an in-process queue with `concurrency` slots. */
  queue?: TaskQueue
  /** Node attempts running at once in this process (in-process queue only). Default 256. */
  concurrency?: number
  /** Node attempts of one run queued or running at once. Default unlimited. */
  perRunConcurrency?: number
  /** Concurrency per resource key (e.g. `{ "provider:openai": 8 }`). */
  resourceLimits?: Record<string, number>
  /** What model nodes call; without one they fail with NO_MODEL_GATEWAY. */
  models?: ModelGateway
  logger?: Logger
  /** Directories `image.load` and friends may read; default none. */
  fileRoots?: readonly string[]
  /** Where relative file paths start; default the working directory. */
  baseDir?: string
  /** Hosts nodes may fetch even though they are private; `*` allows all private addresses. */
  allowPrivateHosts?: readonly string[]
  progressIntervalMs?: number
  random?: () => number
  metrics?: EngineMetrics
}

/**
 * Runs workflows on a Store, an AssetStore and a TaskQueue. It never knows which
 * implementations it is given: the embedded defaults and the scaled ones behave alike.
 */
export class Engine implements RunEngine {
  readonly store: Store
  readonly registry: NodeRegistry
  private readonly bus = new EventBus()
  private readonly commits: CommitQueue
  private readonly queue: TaskQueue
  private readonly driver: RunDriver
  private readonly active = new Map<string, ActiveRun>()
  /** Organisation of each run this process drives, until its `run.finished` is published. */
  private readonly runOrgs = new Map<string, string>()
  /** Callers of waitForRun, by run id (kept here so they survive a run being reloaded). */
  private readonly finishWaiters = new Map<string, ((run: RunRecord) => void)[]>()
  private readonly logger: Logger
  private closed = false

  constructor(options: EngineOptions) {
    this.store = options.store
    this.registry = options.registry
    this.logger = options.logger ?? silentLogger
    this.commits = new CommitQueue(options.store, (events) => {
      this.bus.publish(events)
      for (const event of events) if (event.type === 'run.finished') this.runOrgs.delete(event.runId)
    })
    this.queue =
      options.queue ??
      new InlineQueue({ concurrency: options.concurrency ?? 256, resourceLimits: options.resourceLimits ?? {} })
    const policies = contextPolicies({ ...options, progressIntervalMs: options.progressIntervalMs ?? 100 })
    this.driver = new RunDriver({
      store: options.store,
      registry: options.registry,
      queue: this.queue,
      commits: this.commits,
      logger: this.logger,
      policies,
      assetsFor: nodeAssetsByOrg(options.store, options.assets),
      perRunConcurrency: options.perRunConcurrency ?? Number.POSITIVE_INFINITY,
      models: options.models ?? unavailableModelGateway(),
      random: options.random ?? Math.random,
      onFinished: (run) => {
        this.active.delete(run.id)
        for (const resolve of this.finishWaiters.get(run.id) ?? []) resolve({ ...run.run })
        this.finishWaiters.delete(run.id)
      },
      isClosing: () => this.closed,
      onInternalError: (run, error) => this.onInternalError(run, error),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    })
    this.queue.process(async (task, releaseSlot) => {
      const run = this.active.get(task.runId)
      if (run) await this.driver.execute(run, task, releaseSlot)
    })
  }

  /**
   * Validates and starts a run. Resolves once the run and its first transitions are durable;
   * throws ValidationError (with every issue) for a bad workflow, inputs or node selection.
   */
  async startRun(request: StartRunRequest): Promise<RunRecord> {
    if (this.closed) throw new Error('the engine is shut down')
    const prepared = await prepareRun(this.store, this.registry, request)
    const { run, graph, records } = prepared
    const active = new ActiveRun(run, graph, records)
    this.active.set(run.id, active)
    this.runOrgs.set(run.id, run.orgId)
    const unfollow = request.onEvent ? this.bus.followRun(run.id, request.onEvent) : undefined
    // Node rows are written when each node first changes state, not up front: a wide run
    // starts with one small transaction.
    try {
      await this.commits.enqueue(startedBatch(prepared).build())
    } catch (error) {
      // The run never existed for anyone else: forget everything this process knew of it.
      if (this.active.get(run.id) === active) this.active.delete(run.id)
      this.runOrgs.delete(run.id)
      this.finishWaiters.delete(run.id)
      unfollow?.()
      active.detached = true
      throw error
    }
    void this.driver.advance(active, graph.nodes.keys())
    return { ...run }
  }

  /** Cancels a run: running nodes are aborted, the rest marked canceled. */
  async cancelRun(orgId: string, runId: string): Promise<RunRecord> {
    const active = this.active.get(runId)
    if (active && active.run.orgId === orgId) {
      await this.driver.cancel(active)
      return { ...active.run }
    }
    const run = await this.store.getRun(orgId, runId)
    if (!run) throw new NotFoundError('run', runId)
    return run
  }

  /** Resolves with the run once it has finished (immediately if it already has). */
  async waitForRun(orgId: string, runId: string): Promise<RunRecord> {
    const active = this.active.get(runId)
    if (active && active.run.orgId === orgId) {
      return new Promise((resolve) => {
        const waiting = this.finishWaiters.get(runId) ?? []
        waiting.push(resolve)
        this.finishWaiters.set(runId, waiting)
      })
    }
    const run = await this.store.getRun(orgId, runId)
    if (!run) throw new NotFoundError('run', runId)
    return run
  }

  /** Live events of one run (`*` for all), delivered after they are committed. */
  subscribe(runId: string, listener: RunEventListener): () => void {
    return this.bus.subscribe(runId, listener)
  }

  /** Live events of every run of one organisation that this process drives (dashboards). */
  subscribeOrg(orgId: string, listener: RunEventListener): () => void {
    return this.bus.subscribe('*', (event) => {
      if (this.runOrgs.get(event.runId) === orgId) listener(event)
    })
  }

  /**
   * Resumes every unfinished run found in the Store: finished nodes keep their outputs,
   * attempts that were in flight are retried, nothing finished runs again.
   */
  async recover(): Promise<string[]> {
    const resumed: string[] = []
    for (const run of await this.store.listUnfinishedRuns()) {
      if (this.active.has(run.id)) continue
      await recoverRun({ run, engine: this.recoveryHooks() })
      resumed.push(run.id)
    }
    return resumed
  }

  /**
   * Stops taking work and commits what is pending. Attempts still running are aborted and
   * left `running` in the Store, so the next start retries them (runs survive restarts).
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const run of this.active.values()) {
      for (const controller of run.controllers.values()) controller.abort(new CanceledError('shutting down'))
    }
    await this.queue.close()
    await this.commits.drain()
  }

  /** Whether this process is driving the run (its events are published here as they commit). */
  isDriving(runId: string): boolean {
    return this.active.has(runId)
  }

  async queueCounts(): Promise<Record<string, number>> {
    // Accepted and not yet finished: waiting for a slot or running.
    return { pending: this.queue.pending }
  }

  readinessChecks(): Record<string, () => Promise<void>> {
    return {}
  }

  /** Number of runs this process is driving. */
  get activeRuns(): number {
    return this.active.size
  }

  private recoveryHooks() {
    return {
      store: this.store,
      registry: this.registry,
      driver: this.driver,
      logger: this.logger,
      adopt: (run: ActiveRun) => {
        this.active.set(run.id, run)
        this.runOrgs.set(run.id, run.run.orgId)
      },
    }
  }

  /**
   * The in-memory state can no longer be trusted to match the Store (a commit failed):
   * drop it, abort its attempts, and rebuild the run from the Store shortly after.
   */
  private onInternalError(run: ActiveRun, error: unknown): void {
    this.logger.error('run state could not be committed; reloading it from the store', {
      runId: run.id,
      error: error instanceof Error ? error.message : String(error),
    })
    if (this.active.get(run.id) !== run) return
    this.active.delete(run.id)
    run.detached = true
    for (const controller of run.controllers.values()) controller.abort(new CanceledError('run reloading'))
    void this.reload(run.run.orgId, run.id, 1000)
  }

  /** Rebuilds a run from the Store, retrying with backoff while the Store is unavailable. */
  private async reload(orgId: string, runId: string, delayMs: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs).unref())
    if (this.closed || this.active.has(runId)) return
    try {
      const stored = await this.store.getRun(orgId, runId)
      if (stored && !isTerminalRun(stored.status)) await recoverRun({ run: stored, engine: this.recoveryHooks() })
    } catch (error) {
      this.logger.error('run reload failed; trying again', { runId, error: String(error) })
      void this.reload(orgId, runId, Math.min(delayMs * 2, 30_000))
    }
  }
}
