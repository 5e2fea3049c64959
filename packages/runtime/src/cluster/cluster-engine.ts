import {
  isTerminalRun,
  type NodeAssets,
  type NodeRegistry,
  NotFoundError,
  type RunEvent,
  RunGraph,
  UnavailableError,
  unavailableModelGateway,
  validateWorkflow,
} from '@patchbay/core'
import { type LockedRun, pendingNodeExecution, type RunRecord, type Store } from '@patchbay/db'
import { ActiveRun } from '../active-run.ts'
import { BatchBuilder } from '../batch-builder.ts'
import type { EngineOptions } from '../engine.ts'
import { EventBus, type RunEventListener } from '../event-bus.ts'
import { type Logger, silentLogger } from '../logger.ts'
import { contextPolicies } from '../node-context.ts'
import { nodeAssetsByOrg } from '../org-assets.ts'
import type { BullmqQueue } from '../queue/bullmq-queue.ts'
import { unrecoverableRunBatch } from '../recovery.ts'
import type { RunEngine } from '../run-engine.ts'
import { prepareRun, type StartRunRequest, startedBatch } from '../run-request.ts'
import { type Dispatch, RunSteps } from '../run-steps.ts'
import { AttemptRunner } from './attempt-runner.ts'
import type { EventRelay } from './event-relay.ts'
import { Sweeper } from './sweeper.ts'

/** The embedded engine's options, but tasks travel over BullMQ (whose own options set concurrency and resource limits). */
export interface ClusterEngineOptions extends Omit<EngineOptions, 'queue' | 'concurrency' | 'resourceLimits'> {
  queue: BullmqQueue
  relay: EventRelay
  /** Whether this process executes node tasks (`patchbay worker`, or `start` without `--no-worker`). */
  executes: boolean
  /** How often this process looks for lost tasks and stuck runs. Default 15 s. */
  sweepIntervalMs?: number
  /** How long a node may sit queued or running with no live job before it is repaired. Default 30 s. */
  staleAfterMs?: number
  /** How long shutdown waits for running attempts before handing them back. Default 30 s. */
  shutdownGraceMs?: number
}

/**
 * The scaled engine: run state lives only in PostgreSQL, node tasks travel over BullMQ, and
 * whichever process finishes a node advances its run, holding the run's row lock so that
 * concurrent siblings never dispatch a join twice or lose it. Workers may die at any moment:
 * BullMQ hands a dead worker's tasks to another once its lease lapses, and the sweeper
 * re-sends tasks that never reached Redis. Events reach every process over Redis pub/sub.
 */
export class ClusterEngine implements RunEngine {
  readonly store: Store
  readonly registry: NodeRegistry
  private readonly options: ClusterEngineOptions
  private readonly driver: RunSteps
  private readonly bus = new EventBus()
  private readonly orgListeners = new Map<string, Set<RunEventListener>>()
  private readonly graphs = new Map<string, RunGraph | null>()
  /** The assets nodes of an organisation see. */
  readonly assetsFor: (orgId: string) => NodeAssets
  private readonly attempts: AttemptRunner
  private readonly sweeper: Sweeper
  private readonly logger: Logger
  private closed = false

  constructor(options: ClusterEngineOptions) {
    this.options = options
    this.store = options.store
    this.registry = options.registry
    this.logger = options.logger ?? silentLogger
    this.assetsFor = nodeAssetsByOrg(options.store, options.assets)
    const policies = contextPolicies({ ...options, progressIntervalMs: options.progressIntervalMs ?? 250 })
    this.driver = new RunSteps({
      store: options.store,
      registry: options.registry,
      logger: this.logger,
      perRunConcurrency: options.perRunConcurrency ?? Number.POSITIVE_INFINITY,
      random: options.random ?? Math.random,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    })
    this.attempts = new AttemptRunner({
      engine: this,
      driver: this.driver,
      policies,
      models: options.models ?? unavailableModelGateway(),
      logger: this.logger,
      ...(options.metrics ? { metrics: options.metrics } : {}),
    })
    this.sweeper = new Sweeper({
      engine: this,
      driver: this.driver,
      queue: options.queue,
      logger: this.logger,
      intervalMs: options.sweepIntervalMs ?? 15_000,
      staleAfterMs: options.staleAfterMs ?? 30_000,
    })
    options.relay.listen(({ orgId, events }) => {
      this.bus.publish(events)
      for (const listener of this.orgListeners.get(orgId) ?? []) for (const event of events) listener(event)
      for (const event of events) if (event.type === 'run.finished') this.attempts.abortRun(event.runId)
    })
  }

  /** Connects to Redis, starts consuming tasks (when this process executes them) and sweeping. */
  async start(): Promise<void> {
    await Promise.all([this.options.queue.start(), this.options.relay.start()])
    if (this.options.executes) {
      this.options.queue.process(async (task) => {
        // A task that could not be handled (the database is unreachable, say) is dropped from
        // Redis rather than failed: its node stays queued or running, and the sweeper re-sends it.
        await this.attempts.handle(task).catch((error: unknown) =>
          this.logger.error('node task could not be handled; the sweeper will send it again', {
            runId: task.runId,
            nodeId: task.nodeId,
            attempt: task.attempt,
            error: error instanceof Error ? error.message : String(error),
          }),
        )
      })
    }
    this.sweeper.start()
  }

  async startRun(request: StartRunRequest): Promise<RunRecord> {
    if (this.closed) throw new UnavailableError('the engine is shutting down')
    // Refused before anything is stored: a run committed now would wait for Redis to come back.
    if (!this.options.queue.reachable) throw new UnavailableError('the task queue (Redis) is out of reach')
    const prepared = await prepareRun(this.store, this.registry, request)
    const { run, graph, records } = prepared
    const active = new ActiveRun(run, graph, records)
    active.transient = true
    const unfollow = request.onEvent ? this.bus.followRun(run.id, request.onEvent) : undefined
    const batch = startedBatch(prepared)
    const dispatches: Dispatch[] = []
    // The run is new, so nobody else can hold its lock: its first step commits with its row.
    let events: Awaited<ReturnType<Store['commit']>>
    try {
      await this.driver.plan(active, graph.nodes.keys(), batch, dispatches)
      events = await this.store.commit(batch.build())
    } catch (error) {
      unfollow?.() // the run was never stored: its listener would wait forever
      throw error
    }
    // Committed, the run exists whatever happens next: a failure to hand its first tasks to Redis
    // is the sweeper's to repair, not a failed start (a client told so would start it again).
    await this.published(run.orgId, events, dispatches).catch((error: unknown) =>
      this.logger.warn('run started but its first tasks were not sent; the sweeper will send them', {
        runId: run.id,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    return { ...run }
  }

  async cancelRun(orgId: string, runId: string): Promise<RunRecord> {
    const result = await this.withRun(runId, async (locked, active) => {
      if (locked.run.orgId !== orgId) return undefined
      if (!active || isTerminalRun(active.run.status)) return { run: locked.run, events: [] }
      const batch = new BatchBuilder()
      this.driver.cancelInto(active, batch)
      return { run: active.run, events: await locked.commit(batch.build()) }
    })
    if (!result) throw new NotFoundError('run', runId)
    await this.published(orgId, result.events, [])
    return { ...result.run }
  }

  async waitForRun(orgId: string, runId: string, signal?: AbortSignal): Promise<RunRecord> {
    let wake: () => void = () => {}
    const unsubscribe = this.bus.subscribe(runId, (event) => {
      if (event.type === 'run.finished') wake()
    })
    const onAbort = () => wake()
    signal?.addEventListener('abort', onAbort)
    try {
      for (;;) {
        const run = await this.store.getRun(orgId, runId)
        if (!run) throw new NotFoundError('run', runId)
        if (isTerminalRun(run.status) || signal?.aborted) return run
        // Pub/sub may drop a message: the Store is read again at least every second.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
    } finally {
      unsubscribe()
      signal?.removeEventListener('abort', onAbort)
    }
  }

  subscribe(runId: string, listener: RunEventListener): () => void {
    return this.bus.subscribe(runId, listener)
  }

  subscribeOrg(orgId: string, listener: RunEventListener): () => void {
    let listeners = this.orgListeners.get(orgId)
    if (!listeners) {
      listeners = new Set()
      this.orgListeners.set(orgId, listeners)
    }
    listeners.add(listener)
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) this.orgListeners.delete(orgId)
    }
  }

  /** One sweep: re-sends lost tasks, retries attempts of dead workers, finishes stuck runs. */
  async recover(): Promise<string[]> {
    return await this.sweeper.sweep()
  }

  isDriving(): boolean {
    // Events arrive over pub/sub, which may drop one: SSE keeps reading the Store when quiet.
    return false
  }

  get activeRuns(): number {
    return this.attempts.running
  }

  async queueCounts(): Promise<Record<string, number>> {
    return await this.options.queue.counts()
  }

  readinessChecks(): Record<string, () => Promise<void>> {
    return { redis: () => this.options.queue.ping() }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.sweeper.stop()
    const draining = this.options.queue.close()
    const grace = this.options.shutdownGraceMs ?? 30_000
    const timer = setTimeout(() => this.attempts.handBackAll(), grace)
    try {
      await draining
    } finally {
      clearTimeout(timer)
    }
    await this.options.relay.close()
  }

  get isClosing(): boolean {
    return this.closed
  }

  /**
   * Runs `step` under the run's lock with the run rebuilt from its rows (`active` is undefined
   * when its workflow version is missing or no longer validates).
   */
  async withRun<T>(
    runId: string,
    step: (locked: LockedRun, active: ActiveRun | undefined) => Promise<T>,
  ): Promise<T | undefined> {
    for (;;) {
      // A graph not yet cached is loaded with no lock held, then the lock is taken again: read
      // under the lock, it would need a second pool connection while holding the first, and a
      // cold burst of claims (as many as the pool has connections) would wait on each other
      // until every checkout timed out.
      let uncached: RunRecord | undefined
      const outcome = await this.store.withRunLock(runId, async (locked) => {
        const graph = this.graphs.get(graphKeyOf(locked.run))
        if (graph === undefined) {
          uncached = locked.run
          return undefined
        }
        return { value: await step(locked, graph ? this.rebuild(locked, graph) : undefined) }
      })
      if (!uncached) return outcome?.value
      await this.loadGraph(uncached)
    }
  }

  /** Publishes committed events, then sends the tasks they queued. */
  async published(orgId: string, events: RunEvent[], dispatches: readonly Dispatch[]): Promise<void> {
    await this.options.relay.publish(orgId, events)
    for (const { task, delayMs } of dispatches) await this.options.queue.enqueue(task, { delayMs })
  }

  /** Fails a run whose workflow can no longer be rebuilt (its version vanished or stopped validating). */
  async failUnrecoverable(locked: LockedRun): Promise<RunEvent[]> {
    const message = 'the run’s workflow version is missing or invalid'
    return await locked.commit(unrecoverableRunBatch(locked.run, locked.nodes, message))
  }

  private rebuild(locked: LockedRun, graph: RunGraph): ActiveRun {
    const stored = new Map(locked.nodes.map((record) => [record.nodeId, record]))
    const records = [...graph.nodes.values()].map(
      ({ node }) => stored.get(node.id) ?? pendingNodeExecution(locked.run.id, node.id, node.type),
    )
    const active = new ActiveRun(locked.run, graph, records)
    active.transient = true
    return active
  }

  /** Builds and caches the run's graph (`null` when its version is missing or invalid; versions are immutable). */
  private async loadGraph(run: RunRecord): Promise<void> {
    const version = await this.store.getVersion(run.orgId, run.versionId)
    const checked = version ? validateWorkflow(version.document, this.registry) : undefined
    const graph = checked?.ok ? RunGraph.from(checked.workflow, this.registry, run.scope ?? undefined) : null
    if (this.graphs.size > 500) this.graphs.delete(this.graphs.keys().next().value as string)
    this.graphs.set(graphKeyOf(run), graph)
  }
}

/** A graph depends on the run's version and scope only. */
function graphKeyOf(run: RunRecord): string {
  return `${run.versionId}\u0000${run.scope?.join('\u0000') ?? '*'}`
}
