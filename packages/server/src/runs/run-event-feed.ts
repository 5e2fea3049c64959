import type { RunEvent } from '@patchbay/core'
import { LiveEvents, type Subscribe } from './live-events.ts'

/** What the feed reads from the store. */
export interface StoredRunEvents {
  /** Events with `seq > afterSeq`, ascending, at most `limit`. */
  listEvents(runId: string, afterSeq: number, limit: number): Promise<RunEvent[]>
  /** Whether the store has the run as finished. */
  isFinished(runId: string): Promise<boolean>
}

export interface RunEventFeedOptions {
  runId: string
  /** Only events with a greater `seq` (0 for all of them). */
  after: number
  /** The run had already finished: replay, then end, without waiting for anything live. */
  finished: boolean
  /** Ends the feed (the client went away). */
  signal: AbortSignal
  /** How long without a live event before the store is read (runs driven elsewhere). Default 1 s. */
  pollMs?: number
  /** Whether this process drives the run: then every event is published here and quiet spells need no store reads. */
  drivenHere?: () => boolean
  /** Events read per store query. Default 500. */
  pageSize?: number
  /** Live events held for a slow consumer before it falls back to the store. Default 10 000. */
  maxBuffered?: number
}

/**
 * Every event of one run after `options.after`, exactly once and in `seq` order, ending with
 * `run.finished`: the stored events first, then the live ones.
 *
 * It subscribes before it reads the store (the subscription starts when this function is
 * called, not when iteration starts), so an event committed during the replay is in the
 * buffer; buffered events the replay already delivered are skipped by `seq`, and a gap in
 * the live sequence (which committed events never have, but a dropped buffer does) is
 * filled from the store.
 *
 * @example
 * const controller = new AbortController()
 * const feed = runEventFeed((listener) => engine.subscribe(runId, listener), stored, {
 *   runId, after: lastEventId, finished: false, signal: controller.signal,
 * })
 * for await (const event of feed) await send(event)
 */
export function runEventFeed(
  subscribe: Subscribe,
  stored: StoredRunEvents,
  options: RunEventFeedOptions,
): AsyncGenerator<RunEvent, void> {
  const live = new LiveEvents(subscribe, options.signal, options.maxBuffered)
  return (async function* () {
    try {
      yield* replayThenLive(live, stored, options)
    } finally {
      live.stop()
    }
  })()
}

async function* replayThenLive(
  live: LiveEvents,
  stored: StoredRunEvents,
  options: RunEventFeedOptions,
): AsyncGenerator<RunEvent, void> {
  const { runId, signal } = options
  const pollMs = options.pollMs ?? 1000
  const pageSize = options.pageSize ?? 500
  let last = options.after

  /** Delivers what the store has after `last`; returns whether that included `run.finished`. */
  async function* catchUp(): AsyncGenerator<RunEvent, boolean> {
    for (;;) {
      const page = await stored.listEvents(runId, last, pageSize)
      for (const event of page) {
        if (event.seq <= last) continue
        last = event.seq
        yield event
        if (event.type === 'run.finished') return true
      }
      if (page.length < pageSize || signal.aborted) return false
    }
  }

  if ((yield* catchUp()) || options.finished) return
  while (!signal.aborted) {
    if (live.overflowed) {
      live.overflowed = false
      if (yield* catchUp()) return
      continue
    }
    const event = live.take()
    if (event) {
      // Events are published after they are committed, so a gap is in the store already.
      if (event.seq > last + 1 && (yield* catchUp())) return
      if (event.seq !== last + 1) continue
      last = event.seq
      yield event
      if (event.type === 'run.finished') return
      continue
    }
    if (await live.wait(pollMs)) continue
    if (options.drivenHere?.()) continue
    // Quiet for a while: the run may be driven by another process, or have ended unseen.
    const before = last
    if (yield* catchUp()) return
    if (last === before && (await stored.isFinished(runId))) {
      yield* catchUp()
      return
    }
  }
}

/**
 * Live events of every run `subscribe` covers, as they are committed; no replay. A consumer
 * that falls more than `maxBuffered` events behind is ended (it reconnects and reloads).
 */
export function liveEventFeed(
  subscribe: Subscribe,
  signal: AbortSignal,
  maxBuffered?: number,
): AsyncGenerator<RunEvent, void> {
  const live = new LiveEvents(subscribe, signal, maxBuffered)
  return (async function* () {
    try {
      while (!signal.aborted && !live.overflowed) {
        const event = live.take()
        if (event) yield event
        else await live.wait(60_000)
      }
    } finally {
      live.stop()
    }
  })()
}
