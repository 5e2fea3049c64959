import { type Job, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import type { NodeTask, TaskHandler, TaskQueue } from './task-queue.ts'

export interface BullmqQueueOptions {
  redisUrl: string
  /** Key prefix in Redis, so several installations can share one server. Default `patchbay`. */
  prefix?: string
  /** Tasks this process runs at once per queue; 0 makes a producer that runs nothing. */
  concurrency: number
  /**
   * Fleet-wide limit per resource key (e.g. `{ "provider:fal": 8 }`). Each limited key gets a
   * queue of its own whose BullMQ global concurrency is the limit, so it holds across workers.
   */
  resourceLimits?: Record<string, number>
  /** How long a worker's claim on a task lasts without renewal (its lease). Default 30 s. */
  leaseMs?: number
  logger: Logger
}

const DEFAULT_QUEUE = 'nodes'

/**
 * Node tasks on BullMQ (Redis). A task's job id is derived from run, node and attempt, so
 * sending one twice is harmless; completed jobs are removed so a lost task can be sent again.
 * A worker that dies keeps its jobs only until its lease lapses; BullMQ then hands them to
 * another worker, whose handler sees the attempt still `running` and retries it.
 */
export class BullmqQueue implements TaskQueue {
  readonly kind = 'bullmq' as const
  readonly durable = true
  private readonly options: BullmqQueueOptions
  private readonly connection: Redis
  private readonly queues = new Map<string, Queue<NodeTask>>()
  private readonly workers: Worker<NodeTask>[] = []
  private readonly limited: ReadonlySet<string>
  private handler: TaskHandler | undefined
  private active = 0
  private ready: Promise<void> | undefined

  constructor(options: BullmqQueueOptions) {
    this.options = options
    // BullMQ's blocking commands need `maxRetriesPerRequest: null`; commands issued while Redis
    // is unreachable wait for the reconnection instead of failing.
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false })
    this.connection.on('error', () => {})
    this.limited = new Set(Object.keys(options.resourceLimits ?? {}))
  }

  get prefix(): string {
    return this.options.prefix ?? 'patchbay'
  }

  /** Creates the queues and applies the fleet-wide limits (every process does; it is idempotent). */
  start(): Promise<void> {
    this.ready ??= (async () => {
      await this.queueNamed(DEFAULT_QUEUE).waitUntilReady()
      for (const [key, limit] of Object.entries(this.options.resourceLimits ?? {})) {
        await this.queueNamed(queueNameFor(key)).setGlobalConcurrency(limit)
      }
    })()
    return this.ready
  }

  process(handler: TaskHandler): void {
    this.handler = handler
    if (this.options.concurrency <= 0) return
    const names = [DEFAULT_QUEUE, ...[...this.limited].map(queueNameFor)]
    for (const name of names) {
      const worker = new Worker<NodeTask>(name, (job) => this.run(job), {
        connection: this.connection.duplicate(),
        prefix: this.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.leaseMs ?? 30_000,
        stalledInterval: Math.max(1000, Math.floor((this.options.leaseMs ?? 30_000) / 2)),
        maxStalledCount: 5,
      })
      worker.on('error', (error) => this.options.logger.warn('task queue worker error', { error: error.message }))
      this.workers.push(worker)
    }
  }

  get pending(): number {
    return this.active
  }

  async enqueue(task: NodeTask, options?: { delayMs?: number }): Promise<void> {
    const delay = Math.max(0, Math.round(options?.delayMs ?? 0))
    await this.queueFor(task).add('node', task, {
      jobId: jobIdOf(task),
      ...(delay > 0 ? { delay } : {}),
      attempts: 1,
      removeOnComplete: true,
      // The node's row keeps its error; a failed job would only block sending the task again.
      removeOnFail: true,
    })
  }

  /**
   * Whether Redis still holds each task's job (waiting, delayed, active, or moved back after a
   * stall); finished jobs are removed, so a missing one will never be delivered. One round trip.
   */
  async jobsExist(tasks: readonly NodeTask[]): Promise<boolean[]> {
    if (tasks.length === 0) return []
    const pipeline = this.connection.pipeline()
    for (const task of tasks) pipeline.exists(this.queueFor(task).toKey(jobIdOf(task)))
    const replies = (await pipeline.exec()) ?? []
    return replies.map(([error, count]) => {
      if (error) throw error
      return count === 1
    })
  }

  /**
   * Takes a fleet-wide lease named `name` for `ms` unless another process holds it (so that one
   * sweeper at a time does the fleet's sweeping). Returns whether this process got it.
   */
  async tryLease(name: string, ms: number): Promise<boolean> {
    return (await this.connection.set(`${this.prefix}:lease:${name}`, String(process.pid), 'PX', ms, 'NX')) === 'OK'
  }

  /** Removes a finished (failed) job so that the same task can be sent again. */
  async removeJob(task: NodeTask): Promise<void> {
    await this.queueFor(task).remove(jobIdOf(task))
  }

  /** Jobs per state over every queue (for /metrics). */
  async counts(): Promise<Record<string, number>> {
    const totals: Record<string, number> = {}
    for (const queue of [
      this.queueNamed(DEFAULT_QUEUE),
      ...[...this.limited].map((key) => this.queueNamed(queueNameFor(key))),
    ]) {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'failed',
        'prioritized',
        'waiting-children',
      )
      for (const [state, count] of Object.entries(counts)) totals[state] = (totals[state] ?? 0) + count
    }
    return totals
  }

  /** Whether the Redis connection is up now (while it is not, commands wait for it to come back). */
  get reachable(): boolean {
    return this.connection.status === 'ready'
  }

  /** Answers a Redis PING (for /ready). */
  async ping(): Promise<void> {
    await this.connection.ping()
  }

  /**
   * Stops taking tasks. Resolves when the running ones have settled: the caller aborts them
   * after its grace period, and their handlers hand them back.
   */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()))
    await Promise.all([...this.queues.values()].map((queue) => queue.close()))
    this.connection.disconnect()
  }

  private async run(job: Job<NodeTask>): Promise<void> {
    const handler = this.handler
    if (!handler) throw new Error('no task handler registered')
    this.active++
    try {
      await handler(job.data, () => {})
    } finally {
      this.active--
    }
  }

  private queueFor(task: NodeTask): Queue<NodeTask> {
    const key = task.resourceKey
    return this.queueNamed(key && this.limited.has(key) ? queueNameFor(key) : DEFAULT_QUEUE)
  }

  private queueNamed(name: string): Queue<NodeTask> {
    let queue = this.queues.get(name)
    if (!queue) {
      queue = new Queue<NodeTask>(name, { connection: this.connection, prefix: this.prefix })
      queue.on('error', (error) => this.options.logger.warn('task queue error', { error: error.message }))
      this.queues.set(name, queue)
    }
    return queue
  }
}

/** A job id BullMQ accepts (no `:`) that names the task's attempt. */
export function jobIdOf(task: NodeTask): string {
  return `${task.runId}.${task.attempt}.${encodeURIComponent(task.nodeId).replaceAll('.', '%2E')}`
}

function queueNameFor(resourceKey: string): string {
  return `nodes-${resourceKey.replace(/[^A-Za-z0-9_-]/g, '_')}`
}
