/** `$0.0123`; small costs keep four decimals so they do not read as free (`<$0.0001` below that). */
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined) return '—'
  if (cost === 0) return '$0'
  if (cost > 0 && cost < 0.0001) return '<$0.0001'
  if (cost >= 100) return `$${cost.toFixed(2)}`
  return `$${cost.toFixed(4)}`
}

/** `420 ms`, `3.2 s`, `4 min 12 s`, `1 h 5 min`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`
  const seconds = ms / 1000
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** Milliseconds between two ISO times; until now when `end` is missing and `live`. */
export function durationBetween(start: string | null, end: string | null, live = false): number | null {
  if (!start) return null
  const to = end ? Date.parse(end) : live ? Date.now() : Number.NaN
  return to - Date.parse(start)
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** `just now`, `5 minutes ago`, `yesterday`, then a date. */
export function formatRelative(iso: string | null | undefined): string {
  if (!iso) return '—'
  const diff = (Date.parse(iso) - Date.now()) / 1000
  const abs = Math.abs(diff)
  if (abs < 45) return 'just now'
  if (abs < 3600) return relative.format(Math.round(diff / 60), 'minute')
  if (abs < 86_400) return relative.format(Math.round(diff / 3600), 'hour')
  if (abs < 7 * 86_400) return relative.format(Math.round(diff / 86_400), 'day')
  return absolute.format(new Date(iso))
}

/** A full date and time, for tooltips and detail pages. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? absolute.format(new Date(iso)) : '—'
}

/** `812 B`, `4.2 KB`, `1.3 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/**
 * An asset link the page can load: the server signs links with its public URL, so one on this
 * same API is made relative (same origin in production; through the proxy in development).
 * Links elsewhere (a bucket's presigned URL) are kept.
 */
export function assetUrl(url: string): string
export function assetUrl(url: string | undefined): string | undefined
export function assetUrl(url: string | undefined): string | undefined {
  if (!url) return url
  try {
    const parsed = new URL(url, window.location.href)
    return parsed.pathname.startsWith('/api/') ? parsed.pathname + parsed.search : url
  } catch {
    return url
  }
}

const utcDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })
const utcDayWithYear = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})

/** A UTC day (`2030-01-05`) as `Jan 5`, or `Jan 5, 2030` with `withYear`. */
export function formatDay(date: string, withYear = false): string {
  const time = Date.parse(`${date}T00:00:00Z`)
  if (Number.isNaN(time)) return date
  return (withYear ? utcDayWithYear : utcDay).format(time)
}
