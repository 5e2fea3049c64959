/** A request to execute one attempt of one node. Carries ids only; state lives in the Store. */
export interface NodeTask {
  runId: string
  nodeId: string
  attempt: number
  /** Tasks sharing a key share a concurrency limit (e.g. one model provider). */
  resourceKey?: string
}

/**
 * Executes a task. `releaseSlot` gives its concurrency slots back before the handler has
 * finished (idempotent): once a node's work is done, persisting its result must not keep the
 * next call to the same provider waiting.
 */
export type TaskHandler = (task: NodeTask, releaseSlot: () => void) => Promise<void>

/**
 * Carries node tasks to whatever executes them: in this process (`inline`) or, in a
 * scaled deployment, worker processes. Delivery is at-least-once; handlers ignore stale tasks.
 */
export interface TaskQueue {
  readonly kind: 'inline' | 'bullmq'
  /**
   * Whether a task may outlive this process (a broker). Then a task is sent only after its
   * `queued` transition is committed. In-process tasks die with the process, and the Store
   * commits in order, so they may be sent at once without waiting for the disk.
   */
  readonly durable: boolean
  /** Registers the executor. Called once, before the first task is enqueued. */
  process(handler: TaskHandler): void
  /** Hands a task over; resolves once it is accepted, not when it has run. */
  enqueue(task: NodeTask, options?: { delayMs?: number }): Promise<void>
  /** Tasks accepted but not yet finished. */
  readonly pending: number
  /** Stops taking work; resolves when tasks already running have settled. */
  close(): Promise<void>
}
