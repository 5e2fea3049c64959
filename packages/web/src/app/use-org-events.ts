import { ApiError, eventOf, type RunEvent, readSse } from '@patchbay/sdk'
import type { QueryKey } from '@tanstack/react-query'
import { useEffect, useSyncExternalStore } from 'react'
import { queryClient } from './api.ts'
import { useOrgStore } from './session.ts'

/**
 * How often pages refetch while the live stream is up: a safety net for an event lost between
 * a drop and the reconnect. While it is down, pages poll as they would without it.
 */
export const FALLBACK_POLL_MS = 30_000

/** Invalidations are batched: at most one round per this many milliseconds. */
const THROTTLE_MS = 500
/** The stream stays open this long after the last page using it goes (Runs → a run → back). */
const LINGER_MS = 5_000
const MAX_BACKOFF_MS = 30_000

// One stream per tab, shared by every page that follows the organisation's runs.
let users = 0
let controller: AbortController | null = null
let lingerTimer: ReturnType<typeof setTimeout> | undefined
let connected = false
const listeners = new Set<() => void>()

let pendingKeys = new Map<string, QueryKey>()
let flushTimer: ReturnType<typeof setTimeout> | undefined
let lastFlush = 0

/**
 * Keeps the page's react-query caches fresh from the organisation's live events
 * (`GET /api/v1/events`): the runs list on `run.started` / `run.finished`, a run's detail on
 * its node events, the assets list when nodes produce outputs. Opens one stream per tab,
 * however many components call it, reconnecting with backoff; returns whether it is up, so a
 * page can poll faster while it is not.
 *
 * @example
 * const live = useOrgEvents()
 * useQuery({ queryKey: ['runs', 'list'], queryFn, refetchInterval: live ? FALLBACK_POLL_MS : 3000 })
 */
export function useOrgEvents(): boolean {
  useEffect(() => {
    users++
    clearTimeout(lingerTimer)
    if (!controller) open()
    return () => {
      users--
      if (users === 0) lingerTimer = setTimeout(shut, LINGER_MS)
    }
  }, [])
  return useSyncExternalStore(subscribe, () => connected)
}

/** Query keys an event makes stale (the pages' and the editor's: see their `queryKey`s). */
export function staleKeysOf(event: RunEvent): QueryKey[] {
  const detail: QueryKey[] = [
    ['run', event.runId],
    ['runs', 'detail', event.runId],
  ]
  switch (event.type) {
    case 'run.started':
      return [['runs', 'list'], ...detail]
    case 'run.finished':
      return [['runs', 'list'], ['assets'], ...detail]
    case 'node.succeeded':
      return [['assets'], ...detail]
    case 'node.progress':
      // Streamed text and percentages: the run page shows neither, and they come many a second.
      return []
    default:
      return detail
  }
}

function open() {
  const own = new AbortController()
  controller = own
  void follow(own.signal)
}

function shut() {
  if (users > 0) return
  controller?.abort()
  controller = null
  setConnected(false)
}

async function follow(signal: AbortSignal) {
  let failures = 0
  while (!signal.aborted) {
    const openedAt = Date.now()
    try {
      // Not `api.events()`: this needs to know when the stream opens, which its generator hides.
      const orgId = useOrgStore.getState().orgId
      const response = await fetch('/api/v1/events', {
        credentials: 'same-origin',
        headers: { accept: 'text/event-stream', ...(orgId ? { 'x-patchbay-org': orgId } : {}) },
        signal,
      })
      if (!response.ok || !response.body) throw await ApiError.from(response)
      setConnected(true)
      // Nothing is replayed: what was read before the stream opened may already be out of date.
      const openAt = Date.now()
      for (const queryKey of [['runs'], ['run'], ['assets']]) {
        void queryClient.invalidateQueries({
          queryKey,
          predicate: (query) => query.state.dataUpdatedAt > 0 && query.state.dataUpdatedAt < openAt,
        })
      }
      for await (const message of readSse(response.body, signal)) {
        failures = 0
        for (const key of staleKeysOf(eventOf(message))) pendingKeys.set(JSON.stringify(key), key)
        scheduleFlush()
      }
    } catch {
      // Dropped, refused (signed out, server restarting) or aborted: retried below unless aborted.
    }
    if (signal.aborted) return
    setConnected(false)
    // A stream that stayed up a while was healthy: start the backoff again.
    if (Date.now() - openedAt > 10_000) failures = 0
    failures++
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures) * (0.75 + Math.random() * 0.5)
    await sleep(delay, signal)
  }
}

function scheduleFlush() {
  if (flushTimer) return
  const wait = Math.max(0, lastFlush + THROTTLE_MS - Date.now())
  flushTimer = setTimeout(flush, wait)
}

function flush() {
  flushTimer = undefined
  lastFlush = Date.now()
  const keys = [...pendingKeys.values()]
  pendingKeys = new Map()
  invalidateNow(keys)
}

function invalidateNow(keys: QueryKey[]) {
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey })
}

function setConnected(value: boolean) {
  if (connected === value) return
  connected = value
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        resolve()
      },
      { once: true },
    )
  })
}

// The stream belongs to one organisation: follow the switch.
useOrgStore.subscribe((state, previous) => {
  if (state.orgId === previous.orgId || !controller) return
  controller.abort()
  setConnected(false)
  open()
})
