// The period the Usage tab shows, kept in the URL (`?period=7d`, or `?from=…&to=…` for a
// custom one) so that a link to it shows the same numbers. Days are UTC, as the API counts them.

export type PeriodChoice = '7d' | '30d' | '90d' | 'custom'

export const presets: readonly { value: PeriodChoice; label: string; days?: number }[] = [
  { value: '7d', label: 'Last 7 days', days: 7 },
  { value: '30d', label: 'Last 30 days', days: 30 },
  { value: '90d', label: 'Last 90 days', days: 90 },
  { value: 'custom', label: 'Custom' },
]

/** The longest period the API answers, in days. */
export const maxDays = 366

const dayMs = 86_400_000
const dayPattern = /^\d{4}-\d{2}-\d{2}$/

/** Today's UTC day as `YYYY-MM-DD`. */
export function utcToday(now = new Date()): string {
  return now.toISOString().slice(0, 10)
}

/** `date` moved by `days` (negative: back). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)
}

/** Days from `from` to `to`, both included (NaN when either is not a day). */
export function daysBetween(from: string, to: string): number {
  if (!isDay(from) || !isDay(to)) return Number.NaN
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs) + 1
}

function isDay(value: string): boolean {
  return dayPattern.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
}

export interface ResolvedPeriod {
  choice: PeriodChoice
  from: string
  to: string
  /** Why a custom period cannot be asked for; then `from`/`to` are what the user typed. */
  problem?: string
}

/** The period the URL asks for; the last 30 days by default. */
export function periodOf(params: URLSearchParams, today = utcToday()): ResolvedPeriod {
  const from = params.get('from')
  const to = params.get('to')
  if (from !== null || to !== null) {
    const period = { choice: 'custom' as const, from: from ?? '', to: to ?? '' }
    const days = daysBetween(period.from, period.to)
    if (Number.isNaN(days)) return { ...period, problem: 'Pick both days.' }
    if (days < 1) return { ...period, problem: 'The period ends before it starts.' }
    if (days > maxDays) return { ...period, problem: `Pick at most ${maxDays} days.` }
    return period
  }
  const preset = presets.find((item) => item.value === params.get('period')) ?? presets[1]!
  const days = preset.days ?? 30
  return { choice: preset.value === 'custom' ? '30d' : preset.value, from: addDays(today, -(days - 1)), to: today }
}

/** The search params of a period choice; a custom one starts from the period shown now. */
export function paramsFor(choice: PeriodChoice, current: ResolvedPeriod): URLSearchParams {
  if (choice === 'custom') return new URLSearchParams({ from: current.from, to: current.to })
  return new URLSearchParams(choice === '30d' ? {} : { period: choice })
}
