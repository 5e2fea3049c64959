import { isTerminalRun, type ModelGateway, type NodeAssets, type NodeStatus } from '@patchbay/core'
import type { ActiveRun } from './active-run.ts'
import { BatchBuilder } from './batch-builder.ts'
import type { CommitQueue } from './commit-queue.ts'
import { type ContextPolicies, createAttemptContext } from './node-context.ts'
import { runAttempt } from './node-runner.ts'
import type { NodeTask, TaskQueue } from './queue/task-queue.ts'
import { type AttemptResult, type Dispatch, elapsed, RunSteps, type RunStepsDeps } from './run-steps.ts'

export interface RunDriverDeps extends RunStepsDeps {
  queue: TaskQueue
  commits: CommitQueue
  policies: ContextPolicies
  assetsFor: (orgId: string) => NodeAssets
  models: ModelGateway
  /** Called when a run this process drives has committed its final state. */
  onFinished: (run: ActiveRun) => void
  /** True once the process is shutting down: attempts cut short then are left to recovery. */
  isClosing: () => boolean
  /** Called when state could not be committed: the run must be reloaded from the Store. */
  onInternalError: (run: ActiveRun, error: unknown) => void
}

/**
 * Moves active runs forward: decides which nodes are ready (core's `decide`), answers them
 * from the cache or dispatches them, executes dispatched attempts, applies retry policy, and
 * finishes runs. Every step's transitions and events commit together through the
 * CommitQueue, and a task is sent only after its `queued` transition is durable.
 */
export class RunDriver extends RunSteps {
  private readonly deps: RunDriverDeps

  constructor(deps: RunDriverDeps) {
    super(deps)
    this.deps = deps
  }

  /** Considers `candidates` (and nodes held back by the per-run limit), then commits `batch`. */
  async advance(
    active: ActiveRun,
    candidates: Iterable<string>,
    batch = new BatchBuilder(),
    dispatches: Dispatch[] = [],
  ): Promise<void> {
    try {
      if (!(await this.plan(active, candidates, batch, dispatches))) return
    } catch (error) {
      this.deps.onInternalError(active, error)
      return
    }
    await this.commitAndDispatch(active, batch, dispatches)
  }

  /** Executes one attempt delivered by the queue. Stale or duplicate deliveries are ignored. */
  async execute(active: ActiveRun, task: NodeTask, releaseSlot: () => void = () => {}): Promise<void> {
    const record = active.nodes.get(task.nodeId)
    if (record?.status !== 'queued' || record.attempt !== task.attempt) return
    if (record.notBefore && record.notBefore.getTime() > Date.now() + 5) {
      // Delivered early (e.g. after recovery): wait for the backoff to pass.
      await this.deps.queue.enqueue(task, { delayMs: record.notBefore.getTime() - Date.now() })
      return
    }
    const definition = this.definition(record)
    const controller = new AbortController()
    active.controllers.set(record.nodeId, controller)
    Object.assign(record, { status: 'running', startedAt: new Date(), notBefore: null })
    this.commitQuietly(
      active,
      new BatchBuilder()
        .node(record)
        .event(active.id, { type: 'node.started', nodeId: record.nodeId, attempt: record.attempt }),
    )
    const attempt = createAttemptContext({
      runId: active.id,
      nodeId: record.nodeId,
      orgId: active.run.orgId,
      attempt: record.attempt,
      signal: controller.signal,
      assets: this.deps.assetsFor(active.run.orgId),
      logger: this.deps.logger,
      policies: this.deps.policies,
      models: this.deps.models,
      // Spent money is recorded on every attempt, also ones that fail afterwards.
      onCost: (usd) => {
        if (record.status === 'running' && record.attempt === task.attempt) record.cost = (record.cost ?? 0) + usd
      },
      onProgress: (progress, message) => {
        if (record.status !== 'running' || record.attempt !== task.attempt) return
        this.commitQuietly(
          active,
          new BatchBuilder().event(active.id, {
            type: 'node.progress',
            nodeId: record.nodeId,
            attempt: task.attempt,
            progress,
            ...(message === undefined ? {} : { message }),
          }),
        )
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
        timeoutMs: this.nodeOf(active, record).timeoutMs ?? definition.timeoutMs,
      })
    } finally {
      attempt.close()
      active.controllers.delete(record.nodeId)
    }
    // Canceled (or superseded) while running: the cancellation already recorded the outcome.
    // (The cast undoes TypeScript's narrowing: the status may have changed while awaiting.)
    if ((record.status as NodeStatus) !== 'running' || record.attempt !== task.attempt) {
      releaseSlot()
      this.deps.metrics?.attemptFinished({
        nodeType: record.nodeType,
        outcome: 'canceled',
        durationMs: elapsed(record),
      })
      return
    }
    // Cut short by shutdown (the attempt stays `running` in the Store and is retried on
    // restart), or this copy of the run was abandoned for a reload from the Store.
    if (this.deps.isClosing() || active.detached) return releaseSlot()
    const batch = new BatchBuilder()
    const dispatches: Dispatch[] = []
    try {
      if (!(await this.recordOutcome(active, record, result, batch, dispatches))) return releaseSlot()
    } catch (error) {
      releaseSlot()
      this.deps.onInternalError(active, error)
      return
    }
    // The slot is given back once the outcome is in the commit queue (not on disk): the next
    // attempt's `node.started` then follows this one's outcome in the event log.
    await this.commitAndDispatch(active, batch, dispatches, releaseSlot)
  }

  /** Cancels every unfinished node (aborting running attempts) and finishes the run. */
  async cancel(active: ActiveRun, reason = 'run canceled'): Promise<void> {
    if (isTerminalRun(active.run.status)) return
    for (const pending of active.uncommitted) this.commitQuietly(active, pending)
    active.uncommitted.clear()
    const batch = new BatchBuilder()
    this.cancelInto(active, batch, reason)
    await this.commitAndDispatch(active, batch, [])
  }

  async commitAndDispatch(
    active: ActiveRun,
    batch: BatchBuilder,
    dispatches: Dispatch[],
    onEnqueued: () => void = () => {},
  ): Promise<void> {
    if (active.detached) return onEnqueued()
    const finished = isTerminalRun(active.run.status)
    const committed = batch.isEmpty ? undefined : this.deps.commits.enqueue(batch.build())
    onEnqueued()
    const { queue } = this.deps
    if (!queue.durable) for (const { task, delayMs } of dispatches) await queue.enqueue(task, { delayMs })
    try {
      await committed
    } catch (error) {
      this.deps.onInternalError(active, error)
      return
    }
    if (queue.durable) for (const { task, delayMs } of dispatches) await queue.enqueue(task, { delayMs })
    if (finished) this.deps.onFinished(active)
  }

  private commitQuietly(active: ActiveRun, batch: BatchBuilder): void {
    this.deps.commits.enqueue(batch.build()).catch((error: unknown) => this.deps.onInternalError(active, error))
  }
}
