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
  type NodeRegistry,
  nextAttempt,
  type RetryPolicy,
  runOutcome,
  substituteInputs,
} from '@patchbay/core'
import type { NodeExecutionRecord, Store } from '@patchbay/db'
import type { ActiveRun } from './active-run.ts'
import type { BatchBuilder } from './batch-builder.ts'
import type { Logger } from './logger.ts'
import type { EngineMetrics } from './metrics/engine-metrics.ts'
import type { NodeTask } from './queue/task-queue.ts'

export interface Dispatch {
  task: NodeTask
  delayMs: number
}

/** What deciding a run's next steps needs: no queue, no commits, no node execution. */
export interface RunStepsDeps {
  store: Store
  registry: NodeRegistry
  logger: Logger
  perRunConcurrency: number
  random: () => number
  metrics?: EngineMetrics
}

/** Where cached outputs are read: the Store, or a transaction holding a run's lock. */
export interface CacheReader {
  getCached(orgId: string, keys: readonly string[]): Promise<Map<string, Record<string, unknown>>>
}

/**
 * How an attempt ended: its outputs, or what it threw and that as `ErrorInfo`. Both are
 * already scrubbed of the attempt's credential values (see `runAttempt`); `failure` is only
 * read for the retry decision.
 */
export type AttemptResult = { outputs: Record<string, unknown> } | { failure: unknown; error: ErrorInfo }

/**
 * The rules that move a run forward, applied to a run's state and written into a batch
 * without committing it: which nodes are ready (core's `decide`), answered from the cache,
 * skipped or queued; how an attempt's outcome is recorded (retry policy included); how a lost
 * attempt is recovered; when the run finishes. The embedded `RunDriver` commits the batches
 * through its commit queue; the cluster engine commits them under the run's row lock.
 */
export class RunSteps {
  protected readonly steps: RunStepsDeps

  constructor(deps: RunStepsDeps) {
    this.steps = deps
  }

  /**
   * Decides what `candidates` (and nodes held back by the per-run limit) do next: skipped,
   * answered from the cache, failed on bad params, or queued (added to `dispatches`), and
   * finishes the run when nothing is left. Writes into `batch` without committing it.
   * Returns false when the run was canceled or abandoned meanwhile (`batch` must not commit).
   */
  async plan(
    active: ActiveRun,
    candidates: Iterable<string>,
    batch: BatchBuilder,
    dispatches: Dispatch[],
    cache: CacheReader = this.steps.store,
  ): Promise<boolean> {
    let frontier = new Set(candidates)
    for (const id of active.deferred) frontier.add(id)
    active.deferred.clear()
    const limited = Number.isFinite(this.steps.perRunConcurrency)
    while (frontier.size > 0) {
      const decisions = decide(active.graph, active.nodes, frontier)
      frontier = new Set()
      const prepared: Prepared[] = []
      for (const decision of decisions) {
        const record = active.node(decision.nodeId)
        if (decision.action === 'skip') {
          Object.assign(record, { status: 'skipped', skipReason: decision.reason, finishedAt: new Date() })
          batch.node(record).event(active.id, { type: 'node.skipped', nodeId: record.nodeId, reason: decision.reason })
          for (const next of active.graph.successors([record.nodeId])) frontier.add(next)
        } else if (limited && active.inFlight >= this.steps.perRunConcurrency) {
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
        hits = keys.length > 0 ? await cache.getCached(active.run.orgId, keys) : new Map()
      } finally {
        active.uncommitted.delete(batch)
      }
      for (const item of prepared) active.deciding.delete(item.record.nodeId)
      // Canceled while the cache answered: cancel() has settled every node and committed `batch`.
      if (isTerminalRun(active.run.status) || active.detached) return false
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
          this.steps.metrics?.nodeCached({ nodeType: record.nodeType })
          for (const next of active.graph.successors([record.nodeId])) frontier.add(next)
        } else {
          this.markQueued(record, 0)
          batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
          dispatches.push({ task: this.taskOf(record), delayMs: 0 })
        }
      }
    }
    this.finishIfDone(active, batch)
    return true
  }

  /**
   * Records how the running attempt of `record` ended: succeeded (with a cache entry), queued
   * again after a retryable failure (its dispatch delayed by the backoff), or failed; then
   * plans what became ready. Writes into `batch`; returns false like {@link plan}.
   */
  async recordOutcome(
    active: ActiveRun,
    record: NodeExecutionRecord,
    result: AttemptResult,
    batch: BatchBuilder,
    dispatches: Dispatch[],
    cache: CacheReader = this.steps.store,
  ): Promise<boolean> {
    const durationMs = elapsed(record)
    // Only a priced attempt changes what the run has spent; free nodes skip the sum.
    if (record.cost) this.noteSpend(active, batch)
    if ('outputs' in result) {
      const { outputs } = result
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
      this.steps.metrics?.attemptFinished({ nodeType: record.nodeType, outcome: 'succeeded', durationMs })
      return this.plan(active, this.nextCandidates(active, record), batch, dispatches, cache)
    }
    const { failure, error } = result
    const definition = this.definition(record)
    const next = nextAttempt(this.retryPolicy(active, record, definition), record.attempt, failure, this.steps.random)
    if (next.retry) {
      this.steps.logger.warn('node attempt failed; retrying', { runId: active.id, nodeId: record.nodeId, error })
      this.steps.metrics?.attemptFinished({
        nodeType: record.nodeType,
        outcome: 'retrying',
        durationMs,
        code: error.code,
      })
      batch.event(active.id, {
        type: 'node.retrying',
        nodeId: record.nodeId,
        attempt: record.attempt,
        delayMs: next.delayMs,
        error,
      })
      this.markQueued(record, next.delayMs, error)
      batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
      dispatches.push({ task: this.taskOf(record), delayMs: next.delayMs })
      return true
    }
    this.steps.metrics?.attemptFinished({ nodeType: record.nodeType, outcome: 'failed', durationMs, code: error.code })
    Object.assign(record, { status: 'failed', error, finishedAt: new Date() })
    batch.node(record).event(active.id, { type: 'node.failed', nodeId: record.nodeId, attempt: record.attempt, error })
    return this.plan(active, this.nextCandidates(active, record), batch, dispatches, cache)
  }

  /**
   * What may have become ready once `record` finished: its successors, plus, for a run rebuilt
   * from the Store (whose per-run holds were not kept), every node still pending.
   */
  private nextCandidates(active: ActiveRun, record: NodeExecutionRecord): Iterable<string> {
    const successors = active.graph.successors([record.nodeId])
    if (!active.transient) return successors
    const candidates = new Set(successors)
    for (const node of active.nodes.values()) if (node.status === 'pending') candidates.add(node.nodeId)
    return candidates
  }

  /** Marks every unfinished node canceled (aborting attempts running here) and finishes the run, into `batch`. */
  cancelInto(active: ActiveRun, batch: BatchBuilder, reason = 'run canceled'): void {
    for (const record of active.nodes.values()) {
      if (isTerminalNode(record.status)) continue
      Object.assign(record, { status: 'canceled', finishedAt: new Date() })
      batch.node(record).event(active.id, { type: 'node.canceled', nodeId: record.nodeId })
    }
    for (const controller of active.controllers.values()) controller.abort(new CanceledError(reason))
    active.deferred.clear()
    this.finishIfDone(active, batch)
  }

  /**
   * After a crash: a queued attempt is sent again (its backoff honoured); a running one was
   * lost with its process and becomes a new attempt, unless its attempts are used up.
   */
  recoverAttempt(
    active: ActiveRun,
    record: NodeExecutionRecord,
    batch: BatchBuilder,
    error: ErrorInfo = workerLost,
  ): Dispatch | undefined {
    if (record.status === 'queued') {
      return { task: this.taskOf(record), delayMs: Math.max(0, (record.notBefore?.getTime() ?? 0) - Date.now()) }
    }
    if (record.status !== 'running') return undefined
    // A lost worker is not the node's fault: it may cost a few attempts beyond the node's own budget.
    const budget = this.retryPolicy(active, record, this.definition(record)).maxAttempts + LOST_WORKER_ALLOWANCE
    if (record.attempt >= budget) {
      Object.assign(record, { status: 'failed', error, finishedAt: new Date() })
      batch
        .node(record)
        .event(active.id, { type: 'node.failed', nodeId: record.nodeId, attempt: record.attempt, error })
      return undefined
    }
    batch.event(active.id, { type: 'node.retrying', nodeId: record.nodeId, attempt: record.attempt, delayMs: 0, error })
    this.markQueued(record, 0, error)
    batch.node(record).event(active.id, { type: 'node.queued', nodeId: record.nodeId, attempt: record.attempt })
    return { task: this.taskOf(record), delayMs: 0 }
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

  /**
   * Keeps the run's cost at what its nodes have spent so far, so that a run still going shows
   * (and usage counts) what it has cost already, not nothing until it finishes.
   */
  private noteSpend(active: ActiveRun, batch: BatchBuilder): void {
    const spent = spentBy(active)
    if (spent === (active.run.cost ?? 0)) return
    active.run.cost = spent
    batch.run(active.run)
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
    const cost = spentBy(active)
    Object.assign(active.run, { status, outputs, error, finishedAt, cost })
    const durationMs = finishedAt.getTime() - (active.run.startedAt ?? active.run.createdAt).getTime()
    batch
      .run(active.run)
      .event(active.id, { type: 'run.finished', status, outputs, ...(error ? { error } : {}), durationMs, cost })
    this.steps.metrics?.runFinished({ status, durationMs })
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

  protected markQueued(record: NodeExecutionRecord, delayMs: number, error: ErrorInfo | null = null): void {
    const now = Date.now()
    Object.assign(record, {
      status: 'queued',
      attempt: record.attempt + 1,
      queuedAt: new Date(now),
      notBefore: delayMs > 0 ? new Date(now + delayMs) : null,
      error,
    })
  }

  /** The task that delivers the current attempt of `record`. */
  taskOf(record: NodeExecutionRecord): NodeTask {
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

  protected retryPolicy(active: ActiveRun, record: NodeExecutionRecord, definition: AnyNodeDefinition): RetryPolicy {
    return { ...defaultRetryPolicy, ...definition.retry, ...this.nodeOf(active, record).retry }
  }

  /** The registered definition of the node's type. */
  definition(record: NodeExecutionRecord): AnyNodeDefinition {
    const definition = this.steps.registry.get(record.nodeType)
    if (!definition) throw new Error(`node type ${record.nodeType} is not registered`)
    return definition
  }

  protected nodeOf(active: ActiveRun, record: NodeExecutionRecord) {
    return active.graph.get(record.nodeId).node
  }
}

/** Attempts a node may lose to dying workers on top of its retry budget. */
const LOST_WORKER_ALLOWANCE = 5

const workerLost: ErrorInfo = {
  code: 'WORKER_LOST',
  message: 'the process running this node stopped before the node finished',
  retryable: true,
}

/** How long the current attempt of `record` has been running. */
export function elapsed(record: NodeExecutionRecord): number {
  return record.startedAt ? Date.now() - record.startedAt.getTime() : 0
}

/** What the run's nodes have spent so far, in USD. */
function spentBy(active: ActiveRun): number {
  let spent = 0
  for (const node of active.nodes.values()) spent += node.cost ?? 0
  return spent
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
