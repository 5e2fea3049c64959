import { createHash } from 'node:crypto'
import {
  type AnyNodeDefinition,
  CanceledError,
  computeCacheKey,
  decide,
  defaultRetryPolicy,
  type ErrorInfo,
  isTerminalNode,
  isTerminalRun,
  type ModelGateway,
  type NodeAssets,
  type NodeRegistry,
  type NodeStatus,
  nextAttempt,
  type RetryPolicy,
  runOutcome,
  substituteInputs,
  toErrorInfo,
} from '@patchbay/core'
import type { NodeExecutionRecord, Store } from '@patchbay/db'
import type { ActiveRun } from './active-run.ts'
import { BatchBuilder } from './batch-builder.ts'
import type { CommitQueue } from './commit-queue.ts'
import type { Logger } from './logger.ts'
import { type ContextPolicies, createAttemptContext } from './node-context.ts'
import { runAttempt } from './node-runner.ts'
import type { NodeTask, TaskQueue } from './queue/task-queue.ts'

interface Dispatch {
  task: NodeTask
  delayMs: number
}

export interface RunDriverDeps {
  store: Store
  registry: NodeRegistry
  queue: TaskQueue
  commits: CommitQueue
  logger: Logger
  policies: ContextPolicies
  assetsFor: (orgId: string) => NodeAssets
  perRunConcurrency: number
  models: ModelGateway
  random: () => number
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
export class RunDriver {
  private readonly deps: RunDriverDeps

  constructor(deps: RunDriverDeps) {
    this.deps = deps
  }

  /** Considers `candidates` (and nodes held back by the per-run limit), then commits `batch`. */
  async advance(
    active: ActiveRun,
    candidates: Iterable<string>,
    batch = new BatchBuilder(),
    dispatches: Dispatch[] = [],
  ): Promise<void> {
    let frontier = new Set(candidates)
    for (const id of active.deferred) frontier.add(id)
    active.deferred.clear()
    const limited = Number.isFinite(this.deps.perRunConcurrency)
    try {
      while (frontier.size > 0) {
        const decisions = decide(active.graph, active.nodes, frontier)
        frontier = new Set()
        const prepared: Prepared[] = []
        for (const decision of decisions) {
          const record = active.node(decision.nodeId)
          if (decision.action === 'skip') {
            Object.assign(record, { status: 'skipped', skipReason: decision.reason, finishedAt: new Date() })
            batch
              .node(record)
              .event(active.id, { type: 'node.skipped', nodeId: record.nodeId, reason: decision.reason })
            for (const next of active.graph.successors([record.nodeId])) frontier.add(next)
          } else if (limited && active.inFlight >= this.deps.perRunConcurrency) {
            active.deferred.add(record.nodeId)
          } else {
            active.deciding.add(record.nodeId)
            prepared.push(this.prepare(active, record, decision.inputs))
          }
        }
        const keys = prepared.flatMap((item) => (item.cacheKey ? [item.cacheKey] : []))
        // While the cache answers, a cancellation must commit what this step already holds
        // (e.g. the success that triggered it) ahead of its own transitions.
        active.uncommitted.add(batch)
        let hits: Map<string, Record<string, unknown>>
        try {
          hits = keys.length > 0 ? await this.deps.store.getCached(active.run.orgId, keys) : new Map()
        } finally {
          active.uncommitted.delete(batch)
        }
        for (const item of prepared) active.deciding.delete(item.record.nodeId)
        // Canceled while the cache answered: cancel() has settled every node and committed `batch`.
        if (isTerminalRun(active.run.status) || active.detached) return
        for (const item of prepared) {
          const { record } = item
          Object.assign(record, { params: item.params, inputs: item.inputs, cacheKey: item.cacheKey })
          const cached = item.cacheKey ? hits.get(item.cacheKey) : undefined
          if (item.error) {
            Object.assign(record, { status: 'failed', error: item.error, finishedAt: new Date() })
            batch
              .node(record)
              .event(active.id, { type: 'node.failed', nodeId: record.nodeId, attempt: 0, error: item.error })
            for (const next of active.graph.successors([record.nodeId])) frontier.add(next)
          } else if (cached) {
            Object.assign(record, { status: 'cached', outputs: cached, finishedAt: new Date() })
            batch.node(record).event(active.id, { type: 'node.cached', nodeId: record.nodeId, outputs: cached })
            for (const next of active.graph.successors([record.nodeId])) frontier.add(next)
          } else {
            this.markQueued(record, 0)
            batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
            dispatches.push({ task: this.taskFor(record), delayMs: 0 })
          }
        }
      }
      this.finishIfDone(active, batch)
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
    let outputs: Record<string, unknown> | undefined
    let failure: unknown
    try {
      outputs = await runAttempt({
        definition,
        params: record.params,
        inputs: record.inputs ?? {},
        ctx: attempt.ctx,
        controller,
        timeoutMs: this.nodeOf(active, record).timeoutMs ?? definition.timeoutMs,
      })
    } catch (error) {
      failure = error
    } finally {
      attempt.close()
      active.controllers.delete(record.nodeId)
      releaseSlot()
    }
    // Canceled (or superseded) while running: the cancellation already recorded the outcome.
    // (The cast undoes TypeScript's narrowing: the status may have changed while awaiting.)
    if ((record.status as NodeStatus) !== 'running' || record.attempt !== task.attempt) return
    // Cut short by shutdown (the attempt stays `running` in the Store and is retried on
    // restart), or this copy of the run was abandoned for a reload from the Store.
    if (this.deps.isClosing() || active.detached) return
    const batch = new BatchBuilder()
    if (outputs) {
      const durationMs = Date.now() - (record.startedAt?.getTime() ?? Date.now())
      Object.assign(record, { status: 'succeeded', outputs, error: null, finishedAt: new Date() })
      batch.node(record).event(active.id, {
        type: 'node.succeeded',
        nodeId: record.nodeId,
        attempt: record.attempt,
        outputs,
        durationMs,
        ...(record.cost === null ? {} : { cost: record.cost }),
      })
      if (record.cacheKey) {
        batch.cacheEntry({ orgId: active.run.orgId, key: record.cacheKey, nodeType: record.nodeType, outputs })
      }
      return this.advance(active, active.graph.successors([record.nodeId]), batch)
    }
    const error = toErrorInfo(failure)
    const next = nextAttempt(this.retryPolicy(active, record, definition), record.attempt, failure, this.deps.random)
    if (next.retry) {
      this.deps.logger.warn('node attempt failed; retrying', { runId: active.id, nodeId: record.nodeId, error })
      batch.event(active.id, {
        type: 'node.retrying',
        nodeId: record.nodeId,
        attempt: record.attempt,
        delayMs: next.delayMs,
        error,
      })
      this.markQueued(record, next.delayMs, error)
      batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
      return this.commitAndDispatch(active, batch, [{ task: this.taskFor(record), delayMs: next.delayMs }])
    }
    Object.assign(record, { status: 'failed', error, finishedAt: new Date() })
    batch.node(record).event(active.id, { type: 'node.failed', nodeId: record.nodeId, attempt: record.attempt, error })
    return this.advance(active, active.graph.successors([record.nodeId]), batch)
  }

  /** Cancels every unfinished node (aborting running attempts) and finishes the run. */
  async cancel(active: ActiveRun, reason = 'run canceled'): Promise<void> {
    if (isTerminalRun(active.run.status)) return
    for (const pending of active.uncommitted) this.commitQuietly(active, pending)
    active.uncommitted.clear()
    const batch = new BatchBuilder()
    for (const record of active.nodes.values()) {
      if (isTerminalNode(record.status)) continue
      Object.assign(record, { status: 'canceled', finishedAt: new Date() })
      batch.node(record).event(active.id, { type: 'node.canceled', nodeId: record.nodeId })
    }
    for (const controller of active.controllers.values()) controller.abort(new CanceledError(reason))
    active.deferred.clear()
    this.finishIfDone(active, batch)
    await this.commitAndDispatch(active, batch, [])
  }

  /**
   * After a crash: a queued attempt is sent again (its backoff honoured); a running one was
   * lost with its process and becomes a new attempt, unless its attempts are used up.
   */
  recoverAttempt(active: ActiveRun, record: NodeExecutionRecord, batch: BatchBuilder): Dispatch | undefined {
    if (record.status === 'queued') {
      return { task: this.taskFor(record), delayMs: Math.max(0, (record.notBefore?.getTime() ?? 0) - Date.now()) }
    }
    if (record.status !== 'running') return undefined
    const error: ErrorInfo = {
      code: 'WORKER_LOST',
      message: 'the process running this node stopped before the node finished',
      retryable: true,
    }
    if (record.attempt >= this.retryPolicy(active, record, this.definition(record)).maxAttempts) {
      Object.assign(record, { status: 'failed', error, finishedAt: new Date() })
      batch
        .node(record)
        .event(active.id, { type: 'node.failed', nodeId: record.nodeId, attempt: record.attempt, error })
      return undefined
    }
    batch.event(active.id, { type: 'node.retrying', nodeId: record.nodeId, attempt: record.attempt, delayMs: 0, error })
    this.markQueued(record, 0, error)
    batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
    return { task: this.taskFor(record), delayMs: 0 }
  }

  async commitAndDispatch(active: ActiveRun, batch: BatchBuilder, dispatches: Dispatch[]): Promise<void> {
    if (active.detached) return
    const finished = isTerminalRun(active.run.status)
    const committed = batch.isEmpty ? undefined : this.deps.commits.enqueue(batch.build())
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

  private prepare(active: ActiveRun, record: NodeExecutionRecord, inputs: Record<string, unknown>): Prepared {
    const definition = this.definition(record)
    const raw = substituteInputs(this.nodeOf(active, record).params, active.run.inputs)
    const parsed = definition.params.safeParse(raw)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'params'}: ${issue.message}`)
      return {
        record,
        inputs,
        params: raw as Record<string, unknown>,
        cacheKey: null,
        error: { code: 'INVALID_PARAM', message: `invalid params after substituting inputs: ${problems.join('; ')}` },
      }
    }
    const params = parsed.data as Record<string, unknown>
    const cacheable =
      typeof definition.cacheable === 'function'
        ? (definition.cacheable as (p: unknown) => boolean)(params)
        : (definition.cacheable ?? true)
    const cacheKey = cacheable
      ? computeCacheKey({ type: definition.type, version: definition.version, params, inputs }, nativeSha256)
      : null
    return { record, inputs, params, cacheKey }
  }

  private finishIfDone(active: ActiveRun, batch: BatchBuilder): void {
    if (isTerminalRun(active.run.status) || !active.allNodesFinished) return
    const status = runOutcome(active.nodes)
    if (!status) return
    const failed = [...active.nodes.values()].find((record) => record.status === 'failed')
    const error: ErrorInfo | null = failed
      ? { code: 'NODE_FAILED', message: `node "${failed.nodeId}" failed: ${failed.error?.message ?? 'unknown error'}` }
      : null
    const finishedAt = new Date()
    const outputs = this.collectOutputs(active)
    let cost = 0
    for (const node of active.nodes.values()) cost += node.cost ?? 0
    Object.assign(active.run, { status, outputs, error, finishedAt, cost })
    const durationMs = finishedAt.getTime() - (active.run.startedAt ?? active.run.createdAt).getTime()
    batch
      .run(active.run)
      .event(active.id, { type: 'run.finished', status, outputs, ...(error ? { error } : {}), durationMs, cost })
  }

  /** The run's named outputs: the `value` of every finished node whose type declares `runOutput`. */
  private collectOutputs(active: ActiveRun): Record<string, unknown> {
    const outputs: Record<string, unknown> = {}
    for (const record of active.nodes.values()) {
      if (record.status !== 'succeeded' && record.status !== 'cached') continue
      const definition = this.definition(record)
      if (!definition.runOutput || !record.params) continue
      const name = (definition.runOutput as (params: unknown) => string)(record.params)
      if (record.outputs && 'value' in record.outputs) outputs[name] = record.outputs.value
    }
    return outputs
  }

  private markQueued(record: NodeExecutionRecord, delayMs: number, error: ErrorInfo | null = null): void {
    const now = Date.now()
    Object.assign(record, {
      status: 'queued',
      attempt: record.attempt + 1,
      queuedAt: new Date(now),
      notBefore: delayMs > 0 ? new Date(now + delayMs) : null,
      error,
    })
  }

  private taskFor(record: NodeExecutionRecord): NodeTask {
    const definition = this.definition(record)
    const resourceKey = definition.resourceKey
      ? (definition.resourceKey as (params: unknown) => string | undefined)(record.params)
      : undefined
    return {
      runId: record.runId,
      nodeId: record.nodeId,
      attempt: record.attempt,
      ...(resourceKey ? { resourceKey } : {}),
    }
  }

  private retryPolicy(active: ActiveRun, record: NodeExecutionRecord, definition: AnyNodeDefinition): RetryPolicy {
    return { ...defaultRetryPolicy, ...definition.retry, ...this.nodeOf(active, record).retry }
  }

  private definition(record: NodeExecutionRecord): AnyNodeDefinition {
    const definition = this.deps.registry.get(record.nodeType)
    if (!definition) throw new Error(`node type ${record.nodeType} is not registered`)
    return definition
  }

  private nodeOf(active: ActiveRun, record: NodeExecutionRecord) {
    return active.graph.get(record.nodeId).node
  }
}

function nativeSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

interface Prepared {
  record: NodeExecutionRecord
  inputs: Record<string, unknown>
  params: Record<string, unknown>
  cacheKey: string | null
  error?: ErrorInfo
}
