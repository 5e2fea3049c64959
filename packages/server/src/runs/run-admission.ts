import { Semaphore } from '@patchbay/runtime'
import { serviceUnavailable } from '../api/errors.ts'

/**
 * Admission of run starts in one API process: at most `atOnce` starts use the database at a
 * time, up to `maxWaiting` more wait their turn in order, and a start beyond that is refused
 * with 503 + Retry-After before anything is written. A burst thus queues briefly here instead
 * of queueing for pool connections (whose checkout times out), and the rest of the pool stays
 * free for reads, waits and, in a process that also executes nodes, their claims.
 *
 * @example
 * const admission = RunAdmission.forPool(10) // 5 at once, 500 waiting
 * const run = await admission.admit(() => engine.startRun(request))
 */
export class RunAdmission {
  readonly atOnce: number
  readonly maxWaiting: number
  private readonly slots: Semaphore

  constructor(atOnce: number, maxWaiting: number) {
    this.atOnce = Math.max(1, Math.floor(atOnce))
    this.maxWaiting = Math.max(0, Math.floor(maxWaiting))
    this.slots = new Semaphore(this.atOnce)
  }

  /** Half of a pool of `connections` (at least 1) at once, and 100 waiting per start at once. */
  static forPool(connections: number): RunAdmission {
    const atOnce = Math.max(1, Math.floor(connections / 2))
    return new RunAdmission(atOnce, atOnce * 100)
  }

  /** Starts waiting for their turn now. */
  get queued(): number {
    return this.slots.waiting
  }

  async admit<T>(start: () => Promise<T>): Promise<T> {
    if (this.slots.inUse >= this.atOnce && this.slots.waiting >= this.maxWaiting) {
      throw serviceUnavailable('too many runs are starting at once; try again shortly')
    }
    await this.slots.acquire()
    try {
      return await start()
    } finally {
      this.slots.release()
    }
  }
}
