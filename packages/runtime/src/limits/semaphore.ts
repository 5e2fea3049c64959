/** A counting semaphore with FIFO waiters. `Infinity` permits never block. */
export class Semaphore {
  readonly permits: number
  private available: number
  private readonly waiters: (() => void)[] = []

  constructor(permits: number) {
    this.permits = permits
    if (!(permits >= 1)) throw new Error(`a semaphore needs at least 1 permit, got ${permits}`)
    this.available = permits
  }

  async acquire(): Promise<void> {
    if (this.available > 0) {
      this.available--
      return
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve))
  }

  release(): void {
    const next = this.waiters.shift()
    if (next) next()
    else this.available++
  }

  /** Permits in use. */
  get inUse(): number {
    return this.permits - this.available
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.waiters.length
  }
}

/** One semaphore per key, created on first use with the key's configured limit. */
export class KeyedSemaphores {
  private readonly byKey = new Map<string, Semaphore>()
  private readonly limitFor: (key: string) => number

  constructor(limitFor: (key: string) => number) {
    this.limitFor = limitFor
  }

  get(key: string): Semaphore {
    let semaphore = this.byKey.get(key)
    if (!semaphore) {
      semaphore = new Semaphore(this.limitFor(key))
      this.byKey.set(key, semaphore)
    }
    return semaphore
  }
}
