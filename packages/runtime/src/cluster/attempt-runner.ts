import { CanceledError, type ErrorInfo, isTerminalRun, type ModelGateway, type RunEvent } from '@patchbay/core'
import type { LockedRun, NodeExecutionRecord } from '@patchbay/db'
import type { ActiveRun } from '../active-run.ts'
import { BatchBuilder } from '../batch-builder.ts'
import type { Logger } from '../logger.ts'
import type { EngineMetrics } from '../metrics/engine-metrics.ts'
import { type ContextPolicies, createAttemptContext } from '../node-context.ts'
import { runAttempt } from '../node-runner.ts'
import type { NodeTask } from '../queue/task-queue.ts'
import type { AttemptResult, Dispatch, RunSteps } from '../run-steps.ts'
import type { ClusterEngine } from './cluster-engine.ts'

interface Running {
  runId: string
  controller: AbortController
}

const handedBack: ErrorInfo = {
  code: 'WORKER_SHUTDOWN',
  message: 'the worker running this node shut down; another worker runs it again',
  retryable: true,
}

/**
 * Executes node tasks delivered to this worker, in three steps: claim the attempt under the
 * run's lock (a task whose attempt is no longer queued is dropped; one still `running` was
 * delivered again because its worker's lease lapsed, and becomes a new attempt), run the node
 * without any lock, then record the outcome and advance the run under the lock again.
 */
export class AttemptRunner {
  private readonly deps: {
    engine: ClusterEngine
    driver: RunSteps
    policies: ContextPolicies
    models: ModelGateway
    logger: Logger
    metrics?: EngineMetrics
  }
  private readonly inFlight = new Map<string, Running>()

  constructor(deps: AttemptRunner['deps']) {
    this.deps = deps
  }

  get running(): number {
    return this.inFlight.size
  }

  /** Aborts this process's attempts of a run that finished (canceled) elsewhere. */
  abortRun(runId: string): void {
    for (const attempt of this.inFlight.values()) {
      if (attempt.runId === runId) attempt.controller.abort(new CanceledError('run canceled'))
    }
  }

  /** Shutdown's grace period is over: abort every attempt; each hands its task back. */
  handBackAll(): void {
    for (const attempt of this.inFlight.values()) attempt.controller.abort(new CanceledError('worker shutting down'))
  }

  async handle(task: NodeTask): Promise<void> {
    const { engine } = this.deps
    const claim = await engine.withRun(task.runId, async (locked, active) => {
      if (isTerminalRun(locked.run.status)) return undefined
      const orgId = locked.run.orgId
      if (!active) return { orgId, events: await engine.failUnrecoverable(locked), dispatches: [] as Dispatch[] }
      const record = active.nodes.get(task.nodeId)
      if (!record || record.attempt !== task.attempt) return undefined
      if (record.status === 'running') {
        // Delivered again: the worker that started this attempt stopped renewing its lease.
        return { orgId, ...(await this.retryLost(locked, active, record)) }
      }
      if (record.status !== 'queued') return undefined
      Object.assign(record, { status: 'running', startedAt: new Date(), notBefore: null })
      const batch = new BatchBuilder()
        .node(record)
        .event(active.id, { type: 'node.started', nodeId: record.nodeId, attempt: record.attempt })
      const events = await locked.commit(batch.build())
      const node = active.graph.get(record.nodeId).node
      const started = { record: { ...record }, timeoutMs: node.timeoutMs }
      return { orgId, events, dispatches: [] as Dispatch[], started }
    })
    if (!claim) return
    await engine.published(claim.orgId, claim.events, claim.dispatches)
    if (claim.started) await this.execute(task, claim.orgId, claim.started.record, claim.started.timeoutMs)
  }

  private async execute(
    task: NodeTask,
    orgId: string,
    record: NodeExecutionRecord,
    nodeTimeoutMs: number | undefined,
  ): Promise<void> {
    const { engine, logger } = this.deps
    const definition = this.deps.driver.definition(record)
    const controller = new AbortController()
    const key = `${task.runId}\u0000${task.nodeId}`
    this.inFlight.set(key, { runId: task.runId, controller })
    let cost = 0
    let progressCommits = Promise.resolve()
    const attempt = createAttemptContext({
      runId: task.runId,
      nodeId: task.nodeId,
      orgId,
      attempt: task.attempt,
      signal: controller.signal,
      assets: engine.assetsFor(orgId),
      logger,
      policies: this.deps.policies,
      models: this.deps.models,
      onCost: (usd) => {
        cost += usd
      },
      onProgress: (progress, message) => {
        const batch = new BatchBuilder().event(task.runId, {
          type: 'node.progress',
          nodeId: task.nodeId,
          attempt: task.attempt,
          progress,
          ...(message === undefined ? {} : { message }),
        })
        progressCommits = progressCommits
          .then(async () => engine.published(orgId, await engine.store.commit(batch.build()), []))
          .catch((error: unknown) => logger.warn('progress not recorded', { error: String(error) }))
      },
    })
    let result: AttemptResult
    try {
      result = await runAttempt({
        definition,
        params: record.params,
        inputs: record.inputs ?? {},
        attempt,
        controller,
        timeoutMs: nodeTimeoutMs ?? definition.timeoutMs,
      })
    } finally {
      attempt.close()
      this.inFlight.delete(key)
    }
    await progressCommits
    if (engine.isClosing && controller.signal.aborted) return this.handBack(task, orgId)
    const done = await engine.withRun(task.runId, async (locked, active) => {
      const current = active?.nodes.get(task.nodeId)
      // Canceled, or superseded by a newer attempt: the outcome is no longer this attempt's to record.
      if (
        !active ||
        isTerminalRun(locked.run.status) ||
        current?.status !== 'running' ||
        current.attempt !== task.attempt
      ) {
        this.deps.metrics?.attemptFinished({ nodeType: record.nodeType, outcome: 'canceled', durationMs: 0 })
        return undefined
      }
      if (cost > 0) current.cost = (current.cost ?? 0) + cost
      const batch = new BatchBuilder()
      const dispatches: Dispatch[] = []
      await this.deps.driver.recordOutcome(active, current, result, batch, dispatches, locked)
      return { events: await locked.commit(batch.build()), dispatches }
    })
    if (done) await engine.published(orgId, done.events, done.dispatches)
  }

  /** Returns an attempt cut short by shutdown to the queue as a new attempt, for another worker. */
  private async handBack(task: NodeTask, orgId: string): Promise<void> {
    const { engine } = this.deps
    const handed = await engine.withRun(task.runId, async (locked, active) => {
      const record = active?.nodes.get(task.nodeId)
      if (!active || record?.status !== 'running' || record.attempt !== task.attempt) return undefined
      return await this.retryLost(locked, active, record, handedBack)
    })
    if (handed) await engine.published(orgId, handed.events, handed.dispatches)
  }

  /**
   * Under the run's lock: turns an attempt that will never report back into a new one, or,
   * with its attempts used up, fails it and plans what that changes. Commits the result.
   */
  private async retryLost(
    locked: LockedRun,
    active: ActiveRun,
    record: NodeExecutionRecord,
    error?: ErrorInfo,
  ): Promise<{ events: RunEvent[]; dispatches: Dispatch[] }> {
    const { driver } = this.deps
    const batch = new BatchBuilder()
    const dispatches: Dispatch[] = []
    const retry = driver.recoverAttempt(active, record, batch, error)
    if (retry) dispatches.push(retry)
    else await driver.plan(active, active.nodes.keys(), batch, dispatches, locked)
    return { events: await locked.commit(batch.build()), dispatches }
  }
}
