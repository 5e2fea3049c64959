import type { Run } from '@patchbay/sdk'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router'
import { api } from '../app/api.ts'
import { errorMessage } from '../app/errors.ts'
import { durationBetween, formatCost, formatDate, formatDuration, formatRelative } from '../app/format.ts'
import { FALLBACK_POLL_MS, useOrgEvents } from '../app/use-org-events.ts'
import { useNow } from '../editor/run/use-now.ts'
import { StatusBadge } from '../ui/Badge.tsx'
import { Button } from '../ui/Button.tsx'
import { cx } from '../ui/cx.ts'
import { EmptyState, ErrorState } from '../ui/EmptyState.tsx'
import { Select } from '../ui/Input.tsx'
import { RunsIcon } from '../ui/icons.tsx'
import { PageHeader } from '../ui/PageHeader.tsx'
import { Skeleton } from '../ui/Spinner.tsx'
import { Pager, SkeletonRows, Table, Td, Th, Tr } from '../ui/Table.tsx'
import { useWorkflowNames } from './runs/use-workflow-names.ts'

const pageSize = 25
const statuses = ['queued', 'running', 'succeeded', 'failed', 'canceled'] as const

function isLive(run: Run) {
  return run.status === 'queued' || run.status === 'running'
}

/** `/runs`: every run of the organisation, newest first, filtered by status and workflow. */
export function RunsPage() {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const status = params.get('status') ?? ''
  const workflowId = params.get('workflowId') ?? ''
  const offset = Number(params.get('offset') ?? 0) || 0
  const streaming = useOrgEvents()

  const runs = useQuery({
    queryKey: ['runs', 'list', { status, workflowId, offset }],
    queryFn: () =>
      api.runs.list({
        status: status || undefined,
        workflowId: workflowId || undefined,
        limit: pageSize,
        offset,
      }),
    placeholderData: keepPreviousData,
    // Live events refresh the list; polling is the fallback (quicker while runs go and the stream is down).
    refetchInterval: (query) => (!streaming && query.state.data?.items.some(isLive) ? 3000 : FALLBACK_POLL_MS),
  })
  // Running durations tick between events.
  useNow(runs.data?.items.some(isLive) ?? false)
  const {
    names,
    workflows,
    isPending: namesPending,
  } = useWorkflowNames(runs.data?.items.map((run) => run.workflowId) ?? [])

  function setFilter(key: string, value: string) {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    next.delete('offset')
    setParams(next, { replace: true })
  }

  const filtered = Boolean(status || workflowId)
  const items = runs.data?.items ?? []

  return (
    <>
      <PageHeader title="Runs" description="Every execution of a workflow, with its outputs, timings and cost." />
      <div className="mb-4 flex flex-wrap items-center gap-2">
        <Select aria-label="Filter by status" value={status} onChange={(e) => setFilter('status', e.target.value)}>
          <option value="">All statuses</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s[0]!.toUpperCase() + s.slice(1)}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Filter by workflow"
          value={workflowId}
          onChange={(e) => setFilter('workflowId', e.target.value)}
          className="max-w-64"
        >
          <option value="">All workflows</option>
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        {filtered && (
          <Button variant="ghost" size="sm" onClick={() => setParams({}, { replace: true })}>
            Clear filters
          </Button>
        )}
      </div>

      {runs.isError ? (
        <ErrorState message={errorMessage(runs.error)} onRetry={() => runs.refetch()} />
      ) : runs.isSuccess && items.length === 0 ? (
        <EmptyState
          icon={<RunsIcon size={18} />}
          title={filtered ? 'No runs match these filters' : 'No runs yet'}
          description={
            filtered ? undefined : 'Open a workflow and press Run; every run appears here with its outputs and cost.'
          }
          action={
            filtered ? (
              <Button onClick={() => setParams({}, { replace: true })}>Clear filters</Button>
            ) : (
              <Button variant="primary" onClick={() => navigate('/')}>
                Go to workflows
              </Button>
            )
          }
        />
      ) : (
        <Table className={cx(runs.isPlaceholderData && 'opacity-60')}>
          <thead>
            <tr>
              <Th>Status</Th>
              <Th>Workflow</Th>
              <Th>Started</Th>
              <Th>Duration</Th>
              <Th>Scope</Th>
              <Th className="text-right">Cost</Th>
            </tr>
          </thead>
          <tbody>
            {runs.isPending ? (
              <SkeletonRows columns={6} />
            ) : (
              items.map((run) => (
                <Tr key={run.id} onClick={() => navigate(`/runs/${run.id}`)}>
                  <Td className="w-28">
                    <StatusBadge status={run.status} />
                  </Td>
                  <Td className="max-w-0 truncate font-medium">
                    <WorkflowName run={run} names={names} loading={namesPending} />
                  </Td>
                  <Td className="w-40 text-muted" title={formatDate(run.startedAt ?? run.createdAt)}>
                    {formatRelative(run.startedAt ?? run.createdAt)}
                  </Td>
                  <Td className="w-28 tabular-nums">
                    {formatDuration(durationBetween(run.startedAt, run.finishedAt, isLive(run)))}
                  </Td>
                  <Td className="w-28 text-muted">
                    {run.scope ? `${run.scope.length} node${run.scope.length === 1 ? '' : 's'}` : 'All'}
                  </Td>
                  <Td className="w-24 text-right tabular-nums">{formatCost(run.cost)}</Td>
                </Tr>
              ))
            )}
          </tbody>
        </Table>
      )}
      {runs.data && (
        <Pager
          offset={offset}
          limit={pageSize}
          total={runs.data.total}
          onChange={(next) => {
            const copy = new URLSearchParams(params)
            copy.set('offset', String(next))
            setParams(copy)
          }}
        />
      )}
    </>
  )
}

function WorkflowName({ run, names, loading }: { run: Run; names: Map<string, string>; loading: boolean }) {
  if (!run.workflowId) return <span className="text-muted">Version {run.versionId.slice(0, 8)}</span>
  const name = names.get(run.workflowId)
  if (name !== undefined) return name
  // Not "Deleted workflow" before the names have loaded.
  if (loading) return <Skeleton className="h-3.5 w-40" />
  return <span className="text-muted">Deleted workflow</span>
}
