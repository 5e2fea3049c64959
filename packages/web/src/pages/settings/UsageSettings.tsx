import type { UsageSummary } from '@patchbay/sdk'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Fragment, type ReactNode, useId, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { api } from '../../app/api.ts'
import { errorMessage } from '../../app/errors.ts'
import { formatCost, formatDay } from '../../app/format.ts'
import { Badge } from '../../ui/Badge.tsx'
import { cx } from '../../ui/cx.ts'
import { EmptyState, ErrorState } from '../../ui/EmptyState.tsx'
import { Input } from '../../ui/Input.tsx'
import { RunsIcon } from '../../ui/icons.tsx'
import { Skeleton, Spinner } from '../../ui/Spinner.tsx'
import { SkeletonRows, Table, Td, Th, Tr } from '../../ui/Table.tsx'
import { chartHeight, DailyChart, type DailyMetric } from './usage/DailyChart.tsx'
import { type PeriodChoice, paramsFor, periodOf, presets, type ResolvedPeriod } from './usage/period.ts'
import { Segmented } from './usage/Segmented.tsx'

const count = new Intl.NumberFormat()

/** `/settings/usage`: what the organisation ran and spent per day, workflow and model (every role). */
export function UsageSettings() {
  const [params, setParams] = useSearchParams()
  const period = periodOf(params)
  const usage = useQuery({
    queryKey: ['usage', period.from, period.to],
    queryFn: () => api.usage.get({ from: period.from, to: period.to }),
    enabled: period.problem === undefined,
    placeholderData: keepPreviousData,
  })
  const data = usage.data
  const updating = usage.isFetching && usage.isPlaceholderData

  return (
    <section>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-4">
        <div>
          <h2 className="flex items-center gap-2 font-semibold text-[14px]">
            Usage
            {updating && <Spinner size={13} className="text-muted" />}
          </h2>
          <p className="text-muted">
            Runs and model spend of this organisation from{' '}
            <span className="text-text">{formatDay(period.from, true)}</span> to{' '}
            <span className="text-text">{formatDay(period.to, true)}</span> (UTC days). Prices are the catalog’s.
          </p>
        </div>
        <Segmented<PeriodChoice>
          label="Period"
          items={presets}
          value={period.choice}
          onChange={(choice) => setParams(paramsFor(choice, period), { replace: true })}
        />
      </div>
      {period.choice === 'custom' && <CustomPeriod period={period} onChange={(next) => setParams(next)} />}

      {period.problem !== undefined ? null : usage.isError ? (
        <ErrorState message={errorMessage(usage.error)} onRetry={() => usage.refetch()} />
      ) : !data ? (
        <UsageSkeleton />
      ) : data.runs.total === 0 ? (
        <EmptyState
          icon={<RunsIcon size={18} />}
          title="No runs in this period"
          description="Runs started in these days will show up here with what they spent, per day, workflow and model."
          action={
            <Link
              to="/"
              className="inline-flex h-8 items-center rounded-md border border-border bg-panel px-3 font-medium hover:bg-hover"
            >
              Open workflows
            </Link>
          }
          className="min-h-80"
        />
      ) : (
        <div className={cx('flex flex-col gap-6 transition-opacity', updating && 'opacity-60')}>
          <Totals usage={data} />
          <PerDay usage={data} />
          <div className="grid gap-6 2xl:grid-cols-2">
            <ByWorkflow usage={data} />
            <ByModel usage={data} />
          </div>
        </div>
      )}
    </section>
  )
}

function CustomPeriod({ period, onChange }: { period: ResolvedPeriod; onChange: (next: URLSearchParams) => void }) {
  const id = useId()
  const set = (key: 'from' | 'to', value: string) =>
    onChange(new URLSearchParams({ from: period.from, to: period.to, [key]: value }))
  return (
    <div className="mb-4 flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-from`} className="text-muted">
        From
      </label>
      <Input
        id={`${id}-from`}
        type="date"
        value={period.from}
        max={period.to}
        onChange={(e) => set('from', e.target.value)}
        className="w-40"
      />
      <label htmlFor={`${id}-to`} className="text-muted">
        to
      </label>
      <Input
        id={`${id}-to`}
        type="date"
        value={period.to}
        min={period.from}
        onChange={(e) => set('to', e.target.value)}
        className="w-40"
      />
      {period.problem && (
        <p role="alert" className="text-[12px] text-danger">
          {period.problem}
        </p>
      )}
    </div>
  )
}

function Totals({ usage }: { usage: UsageSummary }) {
  const { runs } = usage
  const calls = usage.models.reduce((sum, model) => sum + model.calls, 0)
  return (
    <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Stat
        label="Spend"
        value={formatCost(usage.cost)}
        hint={runs.total > 0 ? `${formatCost(usage.cost / runs.total)} per run` : 'No runs'}
      />
      <Stat label="Runs" value={count.format(runs.total)} hint={<RunStatuses runs={runs} />} />
      <Stat label="Node executions" value={count.format(usage.nodeExecutions)} hint="Nodes that ran (not cached)" />
      <Stat
        label="Model calls"
        value={count.format(calls)}
        hint={`${usage.models.length} model${usage.models.length === 1 ? '' : 's'}`}
      />
    </div>
  )
}

/**
 * `6 succeeded · 1 failed`: succeeded always, the other statuses when some runs have them (all
 * of them, zeros included, in the tooltip).
 */
function RunStatuses({ runs }: { runs: UsageSummary['runs'] }) {
  const parts = [
    { label: 'succeeded', value: runs.succeeded, tone: 'text-success', always: true },
    { label: 'failed', value: runs.failed, tone: 'text-danger', always: false },
    { label: 'canceled', value: runs.canceled, tone: 'text-warning', always: false },
    { label: 'running', value: runs.active, tone: 'text-info', always: false },
  ]
  const title = parts.map((part) => `${count.format(part.value)} ${part.label}`).join(', ')
  return (
    <span title={title} data-testid="run-statuses">
      {parts
        .filter((part) => part.always || part.value > 0)
        .map((part, index) => (
          <Fragment key={part.label}>
            {index > 0 && ' · '}
            <span className={cx('whitespace-nowrap', part.value > 0 && part.tone)}>
              {count.format(part.value)} {part.label}
            </span>
          </Fragment>
        ))}
    </span>
  )
}

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint: ReactNode }) {
  return (
    <div className="rounded-lg border border-border bg-panel px-4 py-3">
      <p className="text-[12px] text-muted">{label}</p>
      <p className="mt-0.5 truncate font-semibold text-[20px] tabular-nums leading-7">{value}</p>
      <div className="text-[12px] text-muted">{hint}</div>
    </div>
  )
}

function PerDay({ usage }: { usage: UsageSummary }) {
  const [metric, setMetric] = useState<DailyMetric>('cost')
  return (
    <Panel
      title="Per day"
      actions={
        <Segmented<DailyMetric>
          label="Show per day"
          items={[
            { value: 'cost', label: 'Spend' },
            { value: 'runs', label: 'Runs' },
          ]}
          value={metric}
          onChange={setMetric}
        />
      }
    >
      <div className="px-4 pt-6 pb-3">
        <DailyChart days={usage.days} metric={metric} />
      </div>
    </Panel>
  )
}

function ByWorkflow({ usage }: { usage: UsageSummary }) {
  return (
    <div>
      <h3 className="mb-2 font-semibold text-[13px]">By workflow</h3>
      <Table>
        <thead>
          <tr>
            <Th>Workflow</Th>
            <Th className="text-right">Runs</Th>
            <SpendHeaders />
          </tr>
        </thead>
        <tbody>
          {usage.workflows.map((row) => (
            <Tr key={row.workflowId ?? 'none'}>
              <Td className="max-w-0 truncate">
                {row.workflowId === null ? (
                  <span className="text-muted italic">Deleted or unsaved workflows</span>
                ) : (
                  <Link to={`/workflows/${row.workflowId}`} className="font-medium hover:text-accent hover:underline">
                    {row.name ?? row.workflowId}
                  </Link>
                )}
              </Td>
              <Td className="w-16 text-right tabular-nums">{count.format(row.runs)}</Td>
              <SpendCells cost={row.cost} total={usage.cost} />
            </Tr>
          ))}
        </tbody>
      </Table>
    </div>
  )
}

function ByModel({ usage }: { usage: UsageSummary }) {
  const spent = usage.models.reduce((sum, model) => sum + model.cost, 0)
  return (
    <div>
      <h3 className="mb-2 font-semibold text-[13px]">By model</h3>
      {usage.models.length === 0 ? (
        <p className="rounded-lg border border-border border-dashed px-4 py-6 text-center text-muted">
          No model was called in this period.
        </p>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Model</Th>
              <Th>Provider</Th>
              <Th className="text-right">Calls</Th>
              <SpendHeaders />
            </tr>
          </thead>
          <tbody>
            {usage.models.map((row) => (
              <Tr key={row.model} data-model={row.model}>
                <Td className="max-w-0 truncate font-mono text-[12px]" title={row.model}>
                  {row.model}
                </Td>
                <Td className="w-28">
                  <Badge>{row.provider}</Badge>
                </Td>
                <Td className="w-16 text-right tabular-nums">{count.format(row.calls)}</Td>
                <SpendCells cost={row.cost} total={spent} />
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  )
}

/** The last two columns of a breakdown table: the spend, and its share. */
function SpendHeaders() {
  return (
    <>
      <Th className="text-right">Spend</Th>
      <Th className="w-28">
        <span className="sr-only">Share of spend</span>
      </Th>
    </>
  )
}

/** A row's spend and its share of `total`. */
function SpendCells({ cost, total }: { cost: number; total: number }) {
  return (
    <>
      <Td className="w-24 text-right tabular-nums">{formatCost(cost)}</Td>
      <Td>
        <ShareBar share={total > 0 ? cost / total : 0} />
      </Td>
    </>
  )
}

/** A thin bar with the row's share of the spend, and the percentage for screen readers and on hover. */
function ShareBar({ share }: { share: number }) {
  const percent = Math.round(share * 100)
  return (
    <div className="flex items-center gap-2" title={`${percent}% of the spend`}>
      <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-subtle">
        <div className="h-full rounded-full bg-accent" style={{ width: `${Math.min(100, share * 100)}%` }} />
      </div>
      <span className="w-8 text-right text-[11px] text-muted tabular-nums">{percent}%</span>
    </div>
  )
}

function Panel({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="rounded-lg border border-border bg-panel" data-testid="usage-panel">
      <div className="flex h-11 items-center justify-between gap-4 border-border border-b px-4">
        <h3 className="font-semibold text-[13px]">{title}</h3>
        {actions}
      </div>
      {children}
    </div>
  )
}

/** The page's shape while it loads: same cards, chart and table heights, so nothing jumps. */
function UsageSkeleton() {
  return (
    <div className="flex flex-col gap-6" aria-busy="true">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {['spend', 'runs', 'nodes', 'calls'].map((key) => (
          <div key={key} className="flex flex-col rounded-lg border border-border bg-panel px-4 py-3">
            <Skeleton className="my-[3px] h-3 w-16" />
            <Skeleton className="mt-1.5 mb-1 h-5 w-24" />
            <Skeleton className="my-[3px] h-3 w-32" />
          </div>
        ))}
      </div>
      <Panel title="Per day">
        <div className="px-4 pt-6 pb-3">
          <div style={{ height: chartHeight + 22 }} className="pb-skeleton rounded-md" aria-hidden="true" />
        </div>
      </Panel>
      <div className="grid gap-6 2xl:grid-cols-2">
        {['By workflow', 'By model'].map((title) => (
          <div key={title}>
            <h3 className="mb-2 font-semibold text-[13px]">{title}</h3>
            <Table>
              <tbody>
                <SkeletonRows rows={3} columns={3} />
              </tbody>
            </Table>
          </div>
        ))}
      </div>
    </div>
  )
}
