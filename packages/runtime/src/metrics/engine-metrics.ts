import type { RunStatus } from '@patchbay/core'

/** What the engine reports as it works; Prometheus (or nothing) sits behind it. */
export interface EngineMetrics {
  /** One attempt ended (`canceled` includes attempts cut short by a cancellation). */
  attemptFinished(event: {
    nodeType: string
    outcome: 'succeeded' | 'failed' | 'retrying' | 'canceled'
    durationMs: number
    /** The error code of a failed or retried attempt. */
    code?: string
  }): void
  /** A node was answered from the cache without running. */
  nodeCached(event: { nodeType: string }): void
  runFinished(event: { status: RunStatus; durationMs: number }): void
}

export const noopMetrics: EngineMetrics = {
  attemptFinished() {},
  nodeCached() {},
  runFinished() {},
}
