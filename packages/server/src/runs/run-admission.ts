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
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(atOnce: number, maxWaiting: number) {
    this.atOnce = Math.max(1, Math.floor(atOnce))
    this.maxWaiting = Math.max(0, Math.floor(maxWaiting))
  }

  /** Half of a pool of `connections` (at least 1) at once, and 100 waiting per start at once. */
  static forPool(connections: number): RunAdmission {
    const atOnce = Math.max(1, Math.floor(connections / 2))
    return new RunAdmission(atOnce, atOnce * 100)
  }

  /** Starts waiting for their turn now. */
  get queued(): number {
    return this.waiting.length
  }

  async admit<T>(start: () => Promise<T>): Promise<T> {
    if (this.active < this.atOnce) this.active++
    else if (this.waiting.length < this.maxWaiting) await new Promise<void>((resolve) => this.waiting.push(resolve))
    else throw serviceUnavailable('too many runs are starting at once; try again shortly')
    try {
      return await start()
    } finally {
      // The turn passes straight to the next waiter, so `active` only drops when nobody waits.
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
