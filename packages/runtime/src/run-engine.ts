import type { NodeRegistry } from '@patchbay/core'
import type { RunRecord, Store } from '@patchbay/db'
import type { RunEventListener } from './event-bus.ts'
import type { StartRunRequest } from './run-request.ts'

/**
 * What the server and CLI drive runs through. `Engine` runs everything in this process;
 * `ClusterEngine` spreads node tasks over BullMQ workers. Both behave alike to callers.
 */
export interface RunEngine {
  readonly store: Store
  readonly registry: NodeRegistry
  /**
   * Validates and starts a run. Resolves once the run and its first transitions are durable;
   * throws ValidationError (with every issue) for a bad workflow, inputs or node selection.
   */
  startRun(request: StartRunRequest): Promise<RunRecord>
  /** Cancels a run: running nodes are aborted, the rest marked canceled. */
  cancelRun(orgId: string, runId: string): Promise<RunRecord>
  /**
   * Resolves with the run once it has finished (immediately if it already has); with the run
   * as it stands when `signal` aborts first (the caller stopped waiting).
   */
  waitForRun(orgId: string, runId: string, signal?: AbortSignal): Promise<RunRecord>
  /** Live events of one run (`*` for all) as they are committed; best effort, the Store has them all. */
  subscribe(runId: string, listener: RunEventListener): () => void
  /** Live events of every run of one organisation (dashboards). */
  subscribeOrg(orgId: string, listener: RunEventListener): () => void
  /** Resumes or repairs unfinished runs found in the Store; returns their ids. */
  recover(): Promise<string[]>
  /** Whether every event of the run is published in this process as it commits (then SSE needs no polling). */
  isDriving(runId: string): boolean
  /** Runs (embedded) or node attempts (scaled) in progress in this process. */
  readonly activeRuns: number
  /** Jobs per state in the task queue (for /metrics). */
  queueCounts(): Promise<Record<string, number>>
  /** Dependencies this engine needs beyond the Store, checked by /ready (e.g. Redis). */
  readinessChecks(): Record<string, () => Promise<void>>
  /** Stops taking work and hands back or finishes what is in flight. */
  close(): Promise<void>
}
