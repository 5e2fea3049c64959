import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatDuration } from '../../app/format.ts'
import { cx } from '../../ui/cx.ts'
import { HistoryIcon } from '../../ui/icons.tsx'
import { Spinner } from '../../ui/Spinner.tsx'
import { useEditorStore } from '../store/index.ts'
import { spanMs } from './apply-event.ts'
import { costText, formatElapsed, formatWhen } from './format.ts'
import { nodeHistory } from './history.ts'
import { NodeHistoryList } from './NodeHistoryList.tsx'
import { OutputPreview } from './OutputPreview.tsx'
import { useRunStore } from './run-store.ts'
import { StatusBadge } from './StatusBadge.tsx'
import type { NodeLiveState } from './types.ts'
import { useNow } from './use-now.ts'

const skipReasons = { branch_inactive: 'branch not taken', upstream_failed: 'an upstream node failed' } as const

/**
 * The bottom of a node card: the node's state in the run on screen (status, progress, cost,
 * duration, error) and a preview of its output, or of a past run's output picked in its history.
 *
 * @example
 * <NodeCard …><NodeRunOverlay nodeId={node.id} /></NodeCard>
 */
export function NodeRunOverlay({ nodeId }: { nodeId: string }) {
  const { live, currentRunId, selectedRunId } = useRunStore(
    useShallow((s) => ({
      live: s.run?.nodes[nodeId],
      currentRunId: s.run?.id ?? null,
      selectedRunId: s.historySelection[nodeId] ?? null,
    })),
  )
  const history = useRunStore((s) => s.history)
  const nodeType = useEditorStore((s) => s.document.nodes.find((node) => node.id === nodeId)?.type ?? null)
  const [historyOpen, setHistoryOpen] = useState(false)

  const picked = selectedRunId ? nodeHistory(history, nodeId).find((entry) => entry.runId === selectedRunId) : undefined
  const shown = picked?.node ?? live

  function toggleHistory() {
    if (!historyOpen) void useRunStore.getState().loadHistory()
    setHistoryOpen(!historyOpen)
  }

  return (
    <div className="border-border border-t px-2 pt-1 pb-1.5 text-[12px]">
      <div className="flex h-6 items-center gap-1.5">
        <div className="flex min-w-0 flex-1 items-center gap-1.5">
          {shown ? <StatusLine node={shown} /> : <span className="text-muted">Not run yet</span>}
        </div>
        <button
          type="button"
          onClick={toggleHistory}
          className={cx(
            'nodrag -mr-1 flex size-6 shrink-0 items-center justify-center rounded text-muted hover:bg-hover hover:text-text',
            (historyOpen || picked) && 'bg-accent-soft text-accent',
          )}
          title="Output history"
          aria-label="Output history"
          aria-expanded={historyOpen}
        >
          <HistoryIcon size={14} />
        </button>
      </div>
      {historyOpen && (
        <NodeHistoryList
          nodeId={nodeId}
          currentRunId={live?.runId ?? null}
          selectedRunId={selectedRunId}
          onPick={() => setHistoryOpen(false)}
        />
      )}
      {picked && (
        <div className="mb-1 flex items-center gap-1 rounded bg-accent-soft px-1.5 py-0.5 text-[11px] text-accent">
          <span className="truncate">Output of the run at {formatWhen(picked.createdAt)}</span>
          <button
            type="button"
            className="nodrag ml-auto shrink-0 underline hover:no-underline"
            onClick={() => useRunStore.getState().selectHistory(nodeId, null)}
          >
            latest
          </button>
        </div>
      )}
      {!picked && live && currentRunId && live.runId !== currentRunId && (
        <div className="mb-1 text-[11px] text-muted">From an earlier run (not part of the current one)</div>
      )}
      {shown && <NodeDetails node={shown} streamsText={streamsText(nodeType)} />}
    </div>
  )
}

function StatusLine({ node }: { node: NodeLiveState }) {
  const running = node.status === 'running'
  const now = useNow(running)
  const duration = running ? spanMs(node.startedAt, new Date(now).toISOString()) : node.durationMs
  const meta = [
    node.cost !== null ? costText(node.cost) : null,
    duration !== null ? (running ? formatElapsed(duration) : formatDuration(duration)) : null,
  ].filter(Boolean)
  return (
    <>
      <StatusBadge status={node.status} />
      {node.attempt > 1 && <span className="text-[11px] text-muted">try {node.attempt}</span>}
      {node.status === 'queued' && node.retry && <Spinner size={11} className="text-muted" />}
      {meta.length > 0 && (
        <span className="ml-auto truncate text-[11px] text-muted tabular-nums">{meta.join(' · ')}</span>
      )}
    </>
  )
}

/** Node types whose progress messages carry the text generated so far, not a status line. */
function streamsText(nodeType: string | null): boolean {
  return nodeType?.startsWith('llm.') ?? false
}

function NodeDetails({ node, streamsText }: { node: NodeLiveState; streamsText: boolean }) {
  const running = node.status === 'running'
  const showOutputs = node.status === 'succeeded' || node.status === 'cached' || (running && streamsText)
  return (
    <>
      {running && <ProgressBar progress={node.progress} />}
      {running && !streamsText && node.message && (
        <p className="mb-1 truncate text-[11px] text-muted" title={node.message}>
          {node.message}
        </p>
      )}
      {node.retry && (node.status === 'queued' || running) && (
        <p className="mb-1 line-clamp-2 text-[11px] text-warning" title={node.retry.error.message}>
          Attempt {node.retry.attempt} failed: {node.retry.error.message}. Retrying…
        </p>
      )}
      {node.status === 'failed' && node.error && (
        <div
          className="nodrag nowheel mb-1 max-h-24 cursor-text select-text overflow-y-auto rounded bg-danger-soft px-1.5 py-1 text-[11px] text-danger"
          title={node.error.code}
        >
          <span className="font-medium">{node.error.code}</span> {node.error.message}
        </div>
      )}
      {node.status === 'skipped' && node.skipReason && (
        <p className="mb-1 text-[11px] text-muted">Skipped: {skipReasons[node.skipReason]}</p>
      )}
      {showOutputs && <OutputPreview outputs={node.outputs} partialText={node.message} streaming={running} />}
    </>
  )
}

/** A thin bar: determinate when the node reports a fraction, sliding otherwise. */
function ProgressBar({ progress }: { progress: number | null }) {
  return (
    <div
      className="relative mb-1.5 h-1 overflow-hidden rounded-full bg-subtle"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={progress === null ? undefined : Math.round(progress * 100)}
    >
      {progress === null ? (
        <div className="absolute inset-y-0 w-1/3 animate-[pb-run-slide_1.2s_ease-in-out_infinite] rounded-full bg-accent" />
      ) : (
        <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${progress * 100}%` }} />
      )}
      {/* React hoists and de-duplicates this by href, however many bars are on screen. */}
      <style href="pb-run-slide" precedence="default">
        {'@keyframes pb-run-slide{0%{left:-33%}100%{left:100%}}'}
      </style>
    </div>
  )
}
