import type { NodeExecution, RunDetail } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api, queryClient } from '../app/api.ts'
import { errorMessage, isApiError } from '../app/errors.ts'
import { durationBetween, formatCost, formatDate, formatDuration } from '../app/format.ts'
import { useCan } from '../app/session.ts'
import { FALLBACK_POLL_MS, useOrgEvents } from '../app/use-org-events.ts'
import { ValueTable } from '../app/ValueView.tsx'
import { useNow } from '../editor/run/use-now.ts'
import { StatusBadge } from '../ui/Badge.tsx'
import { Button } from '../ui/Button.tsx'
import { cx } from '../ui/cx.ts'
import { EmptyState, ErrorState } from '../ui/EmptyState.tsx'
import { ChevronDownIcon, ChevronLeftIcon, ChevronRightIcon, RunsIcon } from '../ui/icons.tsx'
import { placeholders, Skeleton } from '../ui/Spinner.tsx'
import { toast } from '../ui/toast.tsx'
import { useWorkflowNames } from './runs/use-workflow-names.ts'

const live = new Set(['queued', 'running'])
const skipReasons = { branch_inactive: 'its branch was not taken', upstream_failed: 'something it needs failed' }

/** `/runs/:id`: a run's status, timings, cost, and each node's inputs, outputs and error. */
export function RunDetailPage() {
  const { id = '' } = useParams()
  const canRun = useCan('editor')
  const [canceling, setCanceling] = useState(false)
  const streaming = useOrgEvents()
  const run = useQuery({
    queryKey: ['run', id],
    queryFn: () => api.runs.get(id),
    // Live events refresh a running run; polling is the fallback (quick while the stream is down).
    refetchInterval: (query) =>
      query.state.data && live.has(query.state.data.status) ? (streaming ? FALLBACK_POLL_MS : 1500) : false,
  })
  // Running durations tick between events.
  useNow(run.data !== undefined && live.has(run.data.status))
  const { names, isPending: namesPending } = useWorkflowNames(run.data ? [run.data.workflowId] : [])

  const back = (
    <Link to="/runs" className="mb-4 inline-flex items-center gap-1 text-muted hover:text-text">
      <ChevronLeftIcon size={14} /> Runs
    </Link>
  )

  if (run.isError) {
    return (
      <>
        {back}
        {isApiError(run.error, 404) ? (
          <EmptyState
            icon={<RunsIcon size={18} />}
            title="Run not found"
            description="It may belong to another organisation."
          />
        ) : (
          <ErrorState message={errorMessage(run.error)} onRetry={() => run.refetch()} />
        )}
      </>
    )
  }
  if (run.isPending) {
    return (
      <>
        {back}
        {/* The shapes and heights of what loads (title and id, the stat cards): nothing jumps. */}
        <div className="mb-6">
          <Skeleton className="h-[30px] w-64" />
          <Skeleton className="mt-1 h-[18px] w-80" />
        </div>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          {placeholders(4).map((key) => (
            <Skeleton key={key} className="h-20 rounded-lg" />
          ))}
        </div>
        <Skeleton className="mt-6 h-64" />
      </>
    )
  }

  const detail = run.data
  const isLive = live.has(detail.status)
  const workflowName = detail.workflowId ? names.get(detail.workflowId) : undefined

  async function cancel() {
    setCanceling(true)
    try {
      const next = await api.runs.cancel(detail.id)
      queryClient.setQueryData(['run', id], next)
    } catch (error) {
      toast.error(error, 'Could not cancel the run')
    } finally {
      setCanceling(false)
    }
  }

  return (
    <>
      {back}
      <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <div className="flex items-center gap-3">
            {workflowName === undefined && detail.workflowId && namesPending ? (
              // The name is on its way: hold its place rather than say "Deleted workflow".
              <Skeleton className="h-[30px] w-56" />
            ) : (
              <h1 className="truncate font-semibold text-[20px] tracking-tight">
                {workflowName ?? (detail.workflowId ? 'Deleted workflow' : 'Run')}
              </h1>
            )}
            <StatusBadge status={detail.status} />
          </div>
          <p className="mt-1 font-mono text-[12px] text-muted">{detail.id}</p>
        </div>
        <div className="flex gap-2">
          {detail.workflowId && workflowName && (
            <Link
              to={`/workflows/${detail.workflowId}`}
              className="inline-flex h-8 items-center rounded-md border border-border bg-panel px-3 font-medium hover:bg-hover"
            >
              Open workflow
            </Link>
          )}
          {isLive && canRun && (
            <Button variant="danger" loading={canceling} onClick={cancel}>
              Cancel run
            </Button>
          )}
        </div>
      </header>

      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Stat label="Started" value={formatDate(detail.startedAt ?? detail.createdAt)} />
        <Stat
          label="Duration"
          value={formatDuration(durationBetween(detail.startedAt, detail.finishedAt, isLive))}
          hint={
            detail.startedAt
              ? `queued ${formatDuration(durationBetween(detail.createdAt, detail.startedAt))}`
              : undefined
          }
        />
        <Stat label="Cost" value={formatCost(detail.cost)} />
        <Stat label="Scope" value={detail.scope ? `${detail.scope.length} selected nodes` : 'Whole workflow'} />
      </div>

      {detail.error && (
        <div role="alert" className="mt-6 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3">
          <p className="font-medium text-danger">
            {detail.error.code}
            {detail.error.retryable ? ' (retryable)' : ''}
          </p>
          <p className="mt-1 whitespace-pre-wrap break-words">{detail.error.message}</p>
        </div>
      )}

      <RunValues detail={detail} />

      <h2 className="mt-8 mb-3 font-semibold text-[14px]">Nodes</h2>
      {detail.nodes.length === 0 ? (
        <p className="text-muted">{isLive ? 'Waiting for the first node to start…' : 'No node ran.'}</p>
      ) : (
        <div className="overflow-hidden rounded-lg border border-border bg-panel">
          {detail.nodes.map((node) => (
            <NodeRow key={`${node.nodeId}-${node.attempt}`} node={node} />
          ))}
        </div>
      )}
    </>
  )
}

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-lg border border-border bg-panel px-4 py-3">
      <p className="text-[12px] text-muted">{label}</p>
      <p className="mt-0.5 truncate font-medium text-[14px] tabular-nums">{value}</p>
      {hint && <p className="text-[11px] text-muted">{hint}</p>}
    </div>
  )
}

function RunValues({ detail }: { detail: RunDetail }) {
  const hasInputs = Object.keys(detail.inputs ?? {}).length > 0
  const hasOutputs = detail.outputs && Object.keys(detail.outputs).length > 0
  if (!hasInputs && !hasOutputs) return null
  return (
    <div className="mt-6 grid gap-3 md:grid-cols-2">
      <section className="rounded-lg border border-border bg-panel p-4">
        <h2 className="mb-3 font-semibold text-[13px]">Inputs</h2>
        <ValueTable values={detail.inputs} />
      </section>
      <section className="rounded-lg border border-border bg-panel p-4">
        <h2 className="mb-3 font-semibold text-[13px]">Outputs</h2>
        <ValueTable values={detail.outputs} />
      </section>
    </div>
  )
}

function NodeRow({ node }: { node: NodeExecution }) {
  const [open, setOpen] = useState(node.status === 'failed')
  const running = node.status === 'running'
  return (
    <div className="border-border border-b last:border-b-0">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex h-11 w-full items-center gap-3 px-4 text-left hover:bg-hover/60"
      >
        {open ? (
          <ChevronDownIcon size={14} className="text-muted" />
        ) : (
          <ChevronRightIcon size={14} className="text-muted" />
        )}
        <span className="w-24 shrink-0">
          <StatusBadge status={node.status} />
        </span>
        <span className="min-w-0 flex-1 truncate">
          <span className="font-medium">{node.nodeId}</span>
          <span className="ml-2 font-mono text-[12px] text-muted">{node.nodeType}</span>
          {node.attempt > 1 && <span className="ml-2 text-[12px] text-warning">attempt {node.attempt}</span>}
        </span>
        <span className="w-20 text-right text-muted tabular-nums">
          {formatDuration(durationBetween(node.startedAt, node.finishedAt, running))}
        </span>
        <span className="w-20 text-right tabular-nums">{node.cost === null ? '' : formatCost(node.cost)}</span>
      </button>
      {open && (
        <div className={cx('grid gap-4 border-border border-t bg-bg/50 px-4 py-4 md:grid-cols-2')}>
          {node.skipReason && <p className="text-muted md:col-span-2">Skipped: {skipReasons[node.skipReason]}.</p>}
          {node.error && (
            <div className="rounded-md border border-danger/30 bg-danger-soft px-3 py-2 md:col-span-2">
              <p className="font-medium text-danger">{node.error.code}</p>
              <p className="mt-0.5 whitespace-pre-wrap break-words">{node.error.message}</p>
            </div>
          )}
          <div>
            <h3 className="mb-2 font-medium text-[12px] text-muted uppercase tracking-wide">Inputs</h3>
            <ValueTable values={node.inputs} />
          </div>
          <div>
            <h3 className="mb-2 font-medium text-[12px] text-muted uppercase tracking-wide">Outputs</h3>
            <ValueTable values={node.outputs} />
          </div>
          {node.params && Object.keys(node.params).length > 0 && (
            <div className="md:col-span-2">
              <h3 className="mb-2 font-medium text-[12px] text-muted uppercase tracking-wide">Params</h3>
              <ValueTable values={node.params} />
            </div>
          )}
        </div>
      )}
    </div>
  )
}
