import { cx } from '../../ui/cx.ts'
import { Skeleton } from '../../ui/Spinner.tsx'
import { costText, formatWhen } from './format.ts'
import { nodeHistory, summarizeOutputs } from './history.ts'
import { HISTORY_RUNS, useRunStore } from './run-store.ts'
import { StatusDot } from './StatusBadge.tsx'

/**
 * A node's results in the workflow's last runs (loaded when first opened); picking one shows
 * that output on the card.
 */
export function NodeHistoryList({
  nodeId,
  currentRunId,
  selectedRunId,
  onPick,
}: {
  nodeId: string
  currentRunId: string | null
  selectedRunId: string | null
  onPick: () => void
}) {
  const history = useRunStore((s) => s.history)
  const entries = nodeHistory(history, nodeId)
  const loading = history.status === 'loading' || history.status === 'idle'

  function pick(runId: string) {
    useRunStore.getState().selectHistory(nodeId, runId === currentRunId ? null : runId)
    onPick()
  }

  return (
    <div className="nodrag nowheel mb-1.5 max-h-40 overflow-y-auto rounded border border-border bg-panel">
      <div className="sticky top-0 border-border border-b bg-panel px-1.5 py-0.5 text-[10px] text-muted uppercase tracking-wide">
        Last {HISTORY_RUNS} runs
      </div>
      {loading && entries.length === 0 && (
        <div className="flex flex-col gap-1 p-1.5">
          <Skeleton className="h-4" />
          <Skeleton className="h-4" />
        </div>
      )}
      {history.status === 'error' && (
        <p className="px-1.5 py-1 text-[11px] text-danger">Could not load: {history.error}</p>
      )}
      {history.status === 'ready' && entries.length === 0 && (
        <p className="px-1.5 py-1 text-[11px] text-muted">No outputs in recent runs.</p>
      )}
      <ul>
        {entries.map((entry) => {
          const current = entry.runId === currentRunId
          const selected = selectedRunId === null ? current : entry.runId === selectedRunId
          return (
            <li key={entry.runId}>
              <button
                type="button"
                onClick={() => pick(entry.runId)}
                className={cx(
                  'flex w-full items-center gap-1.5 px-1.5 py-0.5 text-left text-[11px] hover:bg-hover',
                  selected && 'bg-accent-soft',
                )}
              >
                <StatusDot status={entry.node.status} />
                <span className="shrink-0 text-muted tabular-nums">{formatWhen(entry.createdAt)}</span>
                <span className="min-w-0 flex-1 truncate">
                  {entry.node.status === 'failed' ? entry.node.error?.message : summarizeOutputs(entry.node.outputs)}
                </span>
                {current && <span className="shrink-0 text-[10px] text-accent">current</span>}
                {entry.node.cost !== null && entry.node.cost > 0 && (
                  <span className="shrink-0 text-muted tabular-nums">{costText(entry.node.cost)}</span>
                )}
              </button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
