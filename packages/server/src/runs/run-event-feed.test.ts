import type { RunEvent } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { liveEventFeed, runEventFeed, type StoredRunEvents } from './run-event-feed.ts'

/** A run's event log and live bus, driven by the test. */
class FakeRun {
  readonly events: RunEvent[] = []
  readonly listeners = new Set<(event: RunEvent) => void>()
  finished = false
  /** Called at the start of every listEvents (to commit events "during" a read). */
  onRead: (() => void) | undefined
  reads = 0

  readonly subscribe = (listener: (event: RunEvent) => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly stored: StoredRunEvents = {
    listEvents: async (_runId, after, limit) => {
      this.reads++
      this.onRead?.()
      await Promise.resolve()
      return this.events.filter((event) => event.seq > after).slice(0, limit)
    },
    isFinished: async () => this.finished,
  }

  /** Commits the next event without publishing it. */
  commit(type: 'node.started' | 'run.finished' = 'node.started'): RunEvent {
    const seq = this.events.length + 1
    const event = (
      type === 'run.finished'
        ? { type, status: 'succeeded', outputs: {}, durationMs: 1, cost: 0 }
        : { type, nodeId: `n${seq}`, attempt: 1 }
    ) as RunEvent
    Object.assign(event, { runId: 'r', seq, time: new Date(0).toISOString() })
    this.events.push(event)
    if (type === 'run.finished') this.finished = true
    return event
  }

  publish(...events: RunEvent[]): void {
    for (const event of events) for (const listener of this.listeners) listener(event)
  }

  /** Commits then publishes, as the engine does. */
  emit(type?: 'node.started' | 'run.finished'): RunEvent {
    const event = this.commit(type)
    this.publish(event)
    return event
  }
}

async function collect(feed: AsyncIterable<RunEvent>): Promise<number[]> {
  const seqs: number[] = []
  for await (const event of feed) seqs.push(event.seq)
  return seqs
}

const options = (signal: AbortSignal, extra: Partial<Parameters<typeof runEventFeed>[2]> = {}) => ({
  runId: 'r',
  after: 0,
  finished: false,
  signal,
  pollMs: 20,
  ...extra,
})

describe('runEventFeed', () => {
  it('replays the stored events, then the live ones, each once and in order', async () => {
    const run = new FakeRun()
    run.commit()
    run.commit()
    let published = false
    // While the replay reads, two events commit and are published: they are both stored and buffered.
    run.onRead = () => {
      if (published) return
      published = true
      run.emit()
      run.emit()
    }
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal, { pageSize: 1 }))
    const done = collect(feed)
    await new Promise((resolve) => setTimeout(resolve, 5))
    run.emit()
    run.emit('run.finished')
    expect(await done).toEqual([1, 2, 3, 4, 5, 6])
    expect(run.listeners.size).toBe(0)
  })

  it('subscribes when created, before anything is read', () => {
    const run = new FakeRun()
    runEventFeed(run.subscribe, run.stored, options(new AbortController().signal))
    expect(run.listeners.size).toBe(1)
    expect(run.reads).toBe(0)
  })

  it('resumes after a sequence number', async () => {
    const run = new FakeRun()
    for (let i = 0; i < 4; i++) run.commit()
    run.commit('run.finished')
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal, { after: 3 }))
    expect(await collect(feed)).toEqual([4, 5])
  })

  it('ends after the replay of a finished run', async () => {
    const run = new FakeRun()
    run.commit()
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal, { finished: true }))
    expect(await collect(feed)).toEqual([1])
  })

  it('fills a gap in the live events from the store', async () => {
    const run = new FakeRun()
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal, { pollMs: 10_000 }))
    const done = collect(feed)
    await new Promise((resolve) => setTimeout(resolve, 5))
    const missed = [run.commit(), run.commit()]
    run.emit()
    run.publish(...missed) // late duplicates: skipped
    run.emit('run.finished')
    expect(await done).toEqual([1, 2, 3, 4])
  })

  it('catches up from the store when the consumer is too slow for the buffer', async () => {
    const run = new FakeRun()
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal, { maxBuffered: 3 }))
    const seqs: number[] = []
    const consumed = (async () => {
      for await (const event of feed) {
        seqs.push(event.seq)
        await new Promise((resolve) => setTimeout(resolve, 1))
      }
    })()
    await new Promise((resolve) => setTimeout(resolve, 5))
    for (let i = 0; i < 20; i++) run.emit()
    run.emit('run.finished')
    await consumed
    expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1))
  })

  it('reads the store when no live event comes (runs driven by another process)', async () => {
    const run = new FakeRun()
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal))
    const done = collect(feed)
    run.commit()
    run.commit()
    run.commit('run.finished')
    expect(await done).toEqual([1, 2, 3])
  })

  it('ends a run that finished without a run.finished event', async () => {
    const run = new FakeRun()
    run.commit()
    run.finished = true
    const feed = runEventFeed(run.subscribe, run.stored, options(new AbortController().signal))
    expect(await collect(feed)).toEqual([1])
  })

  it('stops and unsubscribes when the signal aborts', async () => {
    const run = new FakeRun()
    const controller = new AbortController()
    const feed = runEventFeed(run.subscribe, run.stored, options(controller.signal, { pollMs: 60_000 }))
    const done = collect(feed)
    await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect(await done).toEqual([])
    expect(run.listeners.size).toBe(0)
  })
})

describe('liveEventFeed', () => {
  it('passes live events on until aborted', async () => {
    const run = new FakeRun()
    const controller = new AbortController()
    const feed = liveEventFeed(run.subscribe, controller.signal)
    run.emit()
    const done = collect(feed)
    run.emit()
    await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    expect(await done).toEqual([1, 2])
    expect(run.listeners.size).toBe(0)
  })

  it('ends a consumer that falls too far behind', async () => {
    const run = new FakeRun()
    const feed = liveEventFeed(run.subscribe, new AbortController().signal, 2)
    for (let i = 0; i < 5; i++) run.emit()
    expect(await collect(feed)).toEqual([])
  })
})
