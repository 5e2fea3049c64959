import type { Run } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../../app/api.ts'
import { formatDate, formatDuration } from '../../app/format.ts'
import { IconButton } from '../../ui/Button.tsx'
import { cx } from '../../ui/cx.ts'
import { ChevronRightIcon, RunsIcon } from '../../ui/icons.tsx'
import { Skeleton } from '../../ui/Spinner.tsx'
import { useEditorStore } from '../store/index.ts'
import { spanMs } from './apply-event.ts'
import { costText, formatElapsed, formatWhen } from './format.ts'
import { RunDetailList } from './RunDetailList.tsx'
import { runQueryKeys, useRunStore } from './run-store.ts'
import { StatusDot } from './StatusBadge.tsx'
import type { RunView } from './types.ts'
import { useNow } from './use-now.ts'

const OPEN_KEY = 'patchbay.runPanel.open'

/**
 * This workflow's runs, newest first and live, above the details of the run on the canvas (each
 * node's inputs, outputs, timings and errors). Clicking a run shows it on the canvas.
 *
 * By default it fills its container (the editor page decides where it sits and when it shows);
 * with `collapsible` it is a right-side panel of its own that folds into a thin "Runs" tab.
 */
export function RunPanel({
  collapsible = false,
  defaultOpen = true,
}: {
  collapsible?: boolean
  defaultOpen?: boolean
}) {
  const [open, setOpen] = useState(() => {
    const saved = globalThis.localStorage?.getItem(OPEN_KEY)
    return saved === null || saved === undefined ? defaultOpen : saved === '1'
  })
  function toggle(next: boolean) {
    setOpen(next)
    globalThis.localStorage?.setItem(OPEN_KEY, next ? '1' : '0')
  }

  if (collapsible && !open) {
    return (
      <button
        type="button"
        onClick={() => toggle(true)}
        className="flex h-full w-9 shrink-0 flex-col items-center gap-2 border-border border-l bg-panel pt-3 text-muted hover:bg-hover hover:text-text"
        title="Show runs"
        aria-label="Show runs"
      >
        <RunsIcon size={16} />
        <span className="text-[12px] [writing-mode:vertical-rl]">Runs</span>
      </button>
    )
  }
  return (
    <section
      className={cx(
        'flex min-h-0 flex-col bg-panel',
        collapsible ? 'h-full w-80 shrink-0 border-border border-l' : 'h-full w-full',
      )}
      aria-label="Runs"
    >
      <div className="flex h-10 shrink-0 items-center gap-2 border-border border-b px-3">
        <RunsIcon size={16} className="text-muted" />
        <h2 className="font-semibold text-[13px]">Runs</h2>
        {collapsible && (
          <IconButton label="Hide runs" size="sm" className="ml-auto" onClick={() => toggle(false)}>
            <ChevronRightIcon size={16} />
          </IconButton>
        )}
      </div>
      <RunList />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <RunDetailList />
      </div>
    </section>
  )
}

function RunList() {
  const workflowId = useEditorStore((s) => s.workflowId)
  const live = useRunStore((s) => s.run)
  const query = useQuery({
    queryKey: runQueryKeys.list(workflowId),
    queryFn: () => api.runs.list({ workflowId, limit: 50 }),
    enabled: Boolean(workflowId),
    // Other people (and the API) start runs too: poll while any is going, and slowly otherwise.
    refetchInterval: (q) => (q.state.data?.items.some((run) => isActive(run.status)) ? 3000 : 30_000),
  })
  const runs = mergeLive(query.data?.items ?? [], live)
  return (
    <div className="max-h-[40%] shrink-0 overflow-y-auto border-border border-b">
      {query.isPending && (
        <div className="flex flex-col gap-1.5 p-3">
          <Skeleton className="h-5" />
          <Skeleton className="h-5" />
          <Skeleton className="h-5" />
        </div>
      )}
      {query.isError && <p className="p-3 text-[12px] text-danger">Could not load runs: {query.error.message}</p>}
      {query.isSuccess && runs.length === 0 && (
        <p className="p-3 text-[12px] text-muted">No runs yet. Press Run to start one.</p>
      )}
      <ul className="py-1">
        {runs.map((run) => (
          <RunRow key={run.id} run={run} selected={run.id === live?.id} />
        ))}
      </ul>
    </div>
  )
}

function RunRow({ run, selected }: { run: Run; selected: boolean }) {
  const active = isActive(run.status)
  const now = useNow(active)
  const duration = active
    ? run.startedAt
      ? formatElapsed(now - Date.parse(run.startedAt))
      : ''
    : formatDuration(spanMs(run.startedAt, run.finishedAt))
  const scope = run.scope ? `${run.scope.length} node${run.scope.length === 1 ? '' : 's'}` : 'all'
  return (
    <li>
      <button
        type="button"
        onClick={() => void useRunStore.getState().loadRun(run.id)}
        title={`${formatDate(run.createdAt)} · ${run.status}${run.error ? ` · ${run.error.message}` : ''}`}
        className={cx(
          'flex w-full items-center gap-2 px-3 py-1 text-left text-[12px] hover:bg-hover',
          selected && 'bg-accent-soft hover:bg-accent-soft',
        )}
      >
        <StatusDot status={run.status} />
        <span className="shrink-0 whitespace-nowrap tabular-nums">{formatWhen(run.createdAt)}</span>
        <span className={cx('w-[62px] shrink-0', run.status === 'failed' ? 'text-danger' : 'text-muted')}>
          {run.status}
        </span>
        <span className="w-11 shrink-0 whitespace-nowrap text-right text-muted tabular-nums">
          {duration === '—' ? '' : duration}
        </span>
        <span className="min-w-0 flex-1 truncate text-muted">{scope}</span>
        <span className="shrink-0 text-muted tabular-nums">{run.cost ? costText(run.cost) : ''}</span>
      </button>
    </li>
  )
}

/** The list as the server last said, with the run on the canvas as it is now (it may be newer). */
function mergeLive(items: Run[], live: RunView | null): Run[] {
  if (!live) return items
  const patch = {
    status: live.status,
    cost: live.cost,
    startedAt: live.startedAt,
    finishedAt: live.finishedAt,
  }
  if (items.some((run) => run.id === live.id)) {
    return items.map((run) => (run.id === live.id ? { ...run, ...patch } : run))
  }
  if (live.workflowId === null || !isActive(live.status)) return items
  // Just started: not in the list until it refetches.
  const started: Run = {
    id: live.id,
    workflowId: live.workflowId,
    versionId: '',
    inputs: {},
    scope: live.scope,
    outputs: live.outputs,
    error: live.error,
    createdAt: live.startedAt ?? new Date().toISOString(),
    ...patch,
  }
  return [started, ...items]
}

function isActive(status: string): boolean {
  return status === 'running' || status === 'queued'
}
