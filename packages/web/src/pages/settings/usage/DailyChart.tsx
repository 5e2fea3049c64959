import type { UsageSummary } from '@patchbay/sdk'
import { formatCost, formatDay } from '../../../app/format.ts'
import { cx } from '../../../ui/cx.ts'

export type DailyMetric = 'cost' | 'runs'

type Day = UsageSummary['days'][number]

/** Height of the plot area in pixels; the skeleton uses it too, so nothing jumps. */
export const chartHeight = 176

/**
 * Spend or runs per day as bars (plain divs: a few hundred of them at most), with a hover
 * tooltip per day, a top and a middle gridline, and a handful of date labels.
 */
export function DailyChart({ days, metric }: { days: Day[]; metric: DailyMetric }) {
  const values = days.map((day) => day[metric])
  const top = niceCeiling(Math.max(0, ...values), metric)
  const label = (value: number) => (metric === 'cost' ? axisMoney(value) : String(value))
  const peak = days.reduce<Day | undefined>(
    (best, day) => (!best || day[metric] > best[metric] ? day : best),
    undefined,
  )
  const summary =
    peak && peak[metric] > 0
      ? `${metric === 'cost' ? 'Spend' : 'Runs'} per day; the most on ${formatDay(peak.date, true)}: ${describe(peak, metric)}`
      : `No ${metric === 'cost' ? 'spend' : 'runs'} in this period`

  return (
    <div className="flex gap-3">
      <div
        className="relative w-14 shrink-0 text-right text-[11px] text-muted tabular-nums"
        style={{ height: chartHeight }}
        aria-hidden="true"
      >
        <span className="absolute top-0 right-0 -translate-y-1/2">{label(top)}</span>
        <span className="absolute top-1/2 right-0 -translate-y-1/2">{label(top / 2)}</span>
        <span className="absolute right-0 bottom-0 translate-y-1/2">{label(0)}</span>
      </div>
      <div className="min-w-0 flex-1">
        <div className="relative" style={{ height: chartHeight }} role="img" aria-label={summary}>
          <div className="absolute inset-x-0 top-0 border-border border-t border-dashed" aria-hidden="true" />
          <div className="absolute inset-x-0 top-1/2 border-border border-t border-dashed" aria-hidden="true" />
          <div className="absolute inset-x-0 bottom-0 border-border-strong border-t" aria-hidden="true" />
          <div className={cx('absolute inset-0 flex items-end', days.length > 45 ? 'gap-px' : 'gap-[3px]')}>
            {days.map((day, index) => (
              <Bar key={day.date} day={day} metric={metric} top={top} edge={edgeOf(index, days.length)} />
            ))}
          </div>
        </div>
        <DateLabels days={days} />
      </div>
    </div>
  )
}

function Bar({ day, metric, top, edge }: { day: Day; metric: DailyMetric; top: number; edge: 'start' | 'end' | null }) {
  const value = day[metric]
  const height = top > 0 ? (value / top) * 100 : 0
  return (
    <div className="group relative flex h-full min-w-0 flex-1 items-end rounded-t-[3px] hover:bg-hover/70">
      <div
        data-testid="usage-bar"
        className={cx(
          'relative w-full rounded-t-[3px] transition-colors',
          value > 0 ? 'bg-accent group-hover:bg-accent-hover' : 'bg-border',
        )}
        style={{ height: value > 0 ? `max(2px, ${height}%)` : 1 }}
      >
        <div
          className={cx(
            'pointer-events-none absolute bottom-full z-10 mb-2 hidden whitespace-nowrap rounded-md border border-border bg-panel px-2.5 py-1.5 text-[12px] text-text shadow-pop group-hover:block',
            edge === 'start' ? 'left-0' : edge === 'end' ? 'right-0' : 'left-1/2 -translate-x-1/2',
          )}
          role="tooltip"
        >
          <p className="font-medium">{formatDay(day.date, true)}</p>
          <p className="text-muted tabular-nums">{describe(day, metric)}</p>
        </div>
      </div>
    </div>
  )
}

/** A few dates under the bars: the first, the last and some evenly between. */
function DateLabels({ days }: { days: Day[] }) {
  const count = days.length
  if (count === 0) return null
  // Evenly spaced (every `step` days), and the last day unless it would crowd the one before.
  const step = Math.max(1, Math.ceil((count - 1) / 6))
  const indexes: number[] = []
  for (let index = 0; index < count; index += step) indexes.push(index)
  const last = count - 1
  if (indexes.at(-1) !== last) {
    if (last - (indexes.at(-1) ?? 0) < step * 0.6) indexes.pop()
    indexes.push(last)
  }
  return (
    <div className="relative mt-1.5 h-4 text-[11px] text-muted" aria-hidden="true">
      {indexes.map((index) => {
        const edge = edgeOf(index, count, 0)
        const centre = ((index + 0.5) / count) * 100
        return (
          <span
            key={index}
            className="absolute top-0 whitespace-nowrap"
            style={
              edge === 'start'
                ? { left: 0 }
                : edge === 'end'
                  ? { right: 0 }
                  : { left: `${centre}%`, transform: 'translateX(-50%)' }
            }
          >
            {formatDay(days[index]!.date)}
          </span>
        )
      })}
    </div>
  )
}

function describe(day: Day, metric: DailyMetric): string {
  const runs = `${day.runs} run${day.runs === 1 ? '' : 's'}`
  return metric === 'cost' ? `${formatCost(day.cost)} · ${runs}` : `${runs} · ${formatCost(day.cost)}`
}

/** Whether a bar sits near an end, where a centred tooltip or label would stick out. */
function edgeOf(index: number, count: number, margin = Math.max(1, Math.floor(count / 8))): 'start' | 'end' | null {
  if (index < Math.max(1, margin)) return 'start'
  if (index >= count - Math.max(1, margin)) return 'end'
  return null
}

/** A round number at or above `max` for the top gridline (runs: whole and even, so the middle is whole too). */
export function niceCeiling(max: number, metric: DailyMetric): number {
  if (metric === 'runs') {
    if (max <= 2) return 2
    const nice = niceNumber(max)
    return nice % 2 === 0 ? nice : nice + 1
  }
  return max <= 0 ? 0.01 : niceNumber(max)
}

function niceNumber(max: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(max))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude
  return 10 * magnitude
}

/** `$1.50`, `$0.25`, `$0.004`, `$0.0000025`: enough digits for the gridlines to differ from 0 and each other. */
function axisMoney(value: number): string {
  if (value === 0) return '$0'
  if (value >= 100) return `$${Math.round(value)}`
  if (value >= 0.1) return `$${value.toFixed(2)}`
  const decimals = Math.min(10, 1 - Math.floor(Math.log10(value)))
  return `$${value.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '')}`
}
