import { KeyedSemaphores, Semaphore } from '../limits/semaphore.ts'
import type { NodeTask, TaskHandler, TaskQueue } from './task-queue.ts'

/** How long tasks may keep starting without the event loop getting a turn. */
const MAX_BURST_MS = 100

export interface InlineQueueOptions {
  /** Node attempts running at once in this process. */
  concurrency: number
  /** Limit per resource key; keys not listed use `defaultResourceLimit`. */
  resourceLimits?: Record<string, number>
  defaultResourceLimit?: number
}

/** Runs tasks in this process under a global limit and per-resource limits. */
export class InlineQueue implements TaskQueue {
  readonly kind = 'inline' as const
  readonly durable = false
  private handler: TaskHandler | undefined
  private readonly global: Semaphore
  private readonly resources: KeyedSemaphores
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly running = new Set<Promise<void>>()
  private accepted = 0
  /** When the current run of synchronously started tasks began (undefined between turns). */
  private burstStartedAt: number | undefined
  private closed = false

  constructor(options: InlineQueueOptions) {
    this.global = new Semaphore(options.concurrency)
    this.resources = new KeyedSemaphores(
      (key) => options.resourceLimits?.[key] ?? options.defaultResourceLimit ?? Number.POSITIVE_INFINITY,
    )
  }

  process(handler: TaskHandler): void {
    this.handler = handler
  }

  get pending(): number {
    return this.accepted
  }

  async enqueue(task: NodeTask, options?: { delayMs?: number }): Promise<void> {
    if (this.closed) return
    this.accepted++
    const delay = options?.delayMs ?? 0
    if (delay <= 0) {
      // Every so often an immediate task waits for the next turn of the event loop, so a long
      // chain of quick nodes cannot starve timers, I/O and the commit queue; yielding on every
      // task would instead make each node wait for a commit (slow on an in-process database).
      const now = performance.now()
      if (this.burstStartedAt === undefined) {
        this.burstStartedAt = now
        setImmediate(() => {
          this.burstStartedAt = undefined
        })
      }
      if (now - this.burstStartedAt < MAX_BURST_MS) return void this.start(task)
      return void setImmediate(() => this.start(task))
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.start(task)
    }, delay)
    this.timers.add(timer)
  }

  private start(task: NodeTask): void {
    const work = this.execute(task).finally(() => {
      this.accepted--
      this.running.delete(work)
    })
    this.running.add(work)
  }

  private async execute(task: NodeTask): Promise<void> {
    const handler = this.handler
    if (!handler || this.closed) return
    // The resource slot is taken first so that a task waiting on a busy provider does not
    // hold one of the process's global slots.
    const resource = task.resourceKey ? this.resources.get(task.resourceKey) : undefined
    await resource?.acquire()
    await this.global.acquire()
    let held = true
    const release = () => {
      if (!held) return
      held = false
      this.global.release()
      resource?.release()
    }
    try {
      if (!this.closed) await handler(task, release)
    } finally {
      release()
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await Promise.allSettled([...this.running])
  }
}
