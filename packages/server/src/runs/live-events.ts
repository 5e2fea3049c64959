import type { RunEvent } from '@patchbay/core'

export type Subscribe = (listener: (event: RunEvent) => void) => () => void

/**
 * Buffers live events from the moment it is created until `signal` aborts (then it
 * unsubscribes, as does `stop()`). A consumer slower than the events loses the buffer instead of growing it
 * without bound: `overflowed` tells it to catch up from the store (or to give up).
 */
export class LiveEvents {
  /** Set when events were dropped because more than `maxBuffered` were waiting. */
  overflowed = false
  private buffer: RunEvent[] = []
  private head = 0
  private wake: (() => void) | undefined
  private readonly unsubscribe: () => void
  private readonly signal: AbortSignal
  private readonly maxBuffered: number

  constructor(subscribe: Subscribe, signal: AbortSignal, maxBuffered = 10_000) {
    this.signal = signal
    this.maxBuffered = maxBuffered
    this.unsubscribe = subscribe((event) => {
      if (this.buffer.length - this.head >= this.maxBuffered) {
        this.buffer = []
        this.head = 0
        this.overflowed = true
      } else {
        this.buffer.push(event)
      }
      this.wake?.()
    })
    signal.addEventListener('abort', this.close, { once: true })
    if (signal.aborted) this.close()
  }

  /** Unsubscribes (also done when the signal aborts). */
  stop(): void {
    this.signal.removeEventListener('abort', this.close)
    this.close()
  }

  /** The oldest buffered event, removed from the buffer. */
  take(): RunEvent | undefined {
    if (this.head >= this.buffer.length) return undefined
    const event = this.buffer[this.head]
    this.head++
    // Compact now and then instead of shifting on every take.
    if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head)
      this.head = 0
    }
    return event
  }

  /** Resolves `true` when an event is buffered or the signal aborts, `false` after `ms` without one. */
  wait(ms: number): Promise<boolean> {
    if (this.head < this.buffer.length || this.overflowed || this.signal.aborted) return Promise.resolve(true)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined
        resolve(false)
      }, ms)
      this.wake = () => {
        clearTimeout(timer)
        this.wake = undefined
        resolve(true)
      }
    })
  }

  private readonly close = () => {
    this.unsubscribe()
    this.buffer = []
    this.head = 0
    this.wake?.()
  }
}
