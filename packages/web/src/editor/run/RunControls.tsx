import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatDuration } from '../../app/format.ts'
import { Button, IconButton } from '../../ui/Button.tsx'
import { cx } from '../../ui/cx.ts'
import { AlertIcon, CloseIcon, PlayIcon, SelectionIcon, StopIcon } from '../../ui/icons.tsx'
import { selectedWorkflowNodes, useEditorStore } from '../store/index.ts'
import { costText, formatElapsed } from './format.ts'
import { useRunStore } from './run-store.ts'
import { StatusBadge } from './StatusBadge.tsx'
import type { StartError } from './types.ts'
import { useNow } from './use-now.ts'
import { useRunSync } from './use-run-sync.ts'

/**
 * The editor top bar's run controls: Run (everything), Run selected, Cancel while a run is
 * going, and a chip with the run's status, elapsed time and cost. Also keeps the run store on
 * the open workflow ({@link useRunSync}) and runs everything on Ctrl/⌘+Enter.
 */
export function RunControls() {
  useRunSync()
  const { readOnly, selectedCount } = useEditorStore(
    useShallow((s) => ({ readOnly: s.readOnly, selectedCount: selectedWorkflowNodes(s).length })),
  )
  const { status, starting, canceling, startError } = useRunStore(
    useShallow((s) => ({
      status: s.run?.status ?? null,
      starting: s.starting,
      canceling: s.canceling,
      startError: s.startError,
    })),
  )
  const active = status === 'running' || status === 'queued'
  const store = useRunStore.getState()

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== 'Enter' || !(event.metaKey || event.ctrlKey) || event.defaultPrevented) return
      const editor = useEditorStore.getState()
      const run = useRunStore.getState().run
      if (editor.readOnly || run?.status === 'running' || run?.status === 'queued') return
      event.preventDefault()
      void useRunStore.getState().runAll()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const runTitle = readOnly ? 'Viewers cannot run workflows' : 'Run the whole workflow (Ctrl/⌘+Enter)'
  const selectedTitle = readOnly
    ? 'Viewers cannot run workflows'
    : selectedCount === 0
      ? 'Select nodes on the canvas to run just them'
      : `Run the ${selectedCount} selected node${selectedCount === 1 ? '' : 's'} (upstream from cache)`

  return (
    <div className="relative flex items-center gap-1.5">
      <RunChip />
      {active ? (
        <Button
          size="sm"
          variant="secondary"
          icon={<StopIcon size={12} />}
          loading={canceling}
          disabled={readOnly}
          title={readOnly ? 'Viewers cannot cancel runs' : 'Cancel the run'}
          onClick={() => void store.cancel()}
        >
          Cancel
        </Button>
      ) : (
        <>
          {/* A disabled button shows no tooltip in every browser: the title sits on a wrapper. */}
          <span title={selectedTitle} className="inline-flex">
            <Button
              size="sm"
              variant="secondary"
              icon={<SelectionIcon size={14} />}
              disabled={readOnly || selectedCount === 0 || starting}
              onClick={() => void store.runSelected()}
            >
              Run selected
            </Button>
          </span>
          <span title={runTitle} className="inline-flex">
            <Button
              size="sm"
              variant="primary"
              icon={<PlayIcon size={12} />}
              loading={starting}
              disabled={readOnly}
              onClick={() => void store.runAll()}
            >
              Run
            </Button>
          </span>
        </>
      )}
      {startError && <StartErrorPopover error={startError} onClose={store.dismissStartError} />}
    </div>
  )
}

/** Status, elapsed time (ticking while running) and cost of the run on the canvas. */
function RunChip() {
  const run = useRunStore(
    useShallow((s) =>
      s.run
        ? {
            status: s.run.status,
            startedAt: s.run.startedAt,
            durationMs: s.run.durationMs,
            cost: s.run.cost,
            scope: s.run.scope,
          }
        : null,
    ),
  )
  const loadError = useRunStore((s) => s.loadError)
  const active = run?.status === 'running' || run?.status === 'queued'
  const now = useNow(active)
  if (loadError && !run) {
    return (
      <span className="max-w-56 truncate text-[12px] text-danger" title={loadError}>
        {loadError}
      </span>
    )
  }
  if (!run) return null
  const elapsed = active
    ? formatElapsed(run.startedAt ? now - Date.parse(run.startedAt) : 0)
    : formatDuration(run.durationMs)
  return (
    <span
      className={cx(
        'flex h-7 items-center gap-1.5 rounded-md border border-border bg-panel px-2 text-[12px] tabular-nums',
        loadError && 'border-danger',
      )}
      title={loadError ?? (run.scope ? `Ran ${run.scope.length} selected node(s)` : 'Ran the whole workflow')}
    >
      <StatusBadge status={run.status} label={run.status} />
      {elapsed !== '—' && <span>{elapsed}</span>}
      {run.cost !== null && run.cost > 0 && <span className="text-muted">{costText(run.cost)}</span>}
    </span>
  )
}

/** Why the run did not start: every issue, naming its node (click to select it on the canvas). */
function StartErrorPopover({ error, onClose }: { error: StartError; onClose: () => void }) {
  const labels = useEditorStore(
    useShallow((s) => Object.fromEntries(s.document.nodes.map((node) => [node.id, node.label ?? node.id]))),
  )
  const heading = error.code === 'INVALID_WORKFLOW' ? 'This workflow cannot run yet' : 'The run did not start'
  return (
    <div
      role="alert"
      className="pb-pop absolute top-full right-0 z-30 mt-2 w-96 rounded-lg border border-border bg-panel p-3 text-[12px] shadow-pop"
    >
      <div className="flex items-start gap-2">
        <AlertIcon size={16} className="mt-0.5 shrink-0 text-danger" />
        <div className="min-w-0 flex-1">
          <p className="font-semibold text-[13px]">{heading}</p>
          {error.issues.length === 0 && <p className="mt-1 break-words text-muted">{error.message}</p>}
        </div>
        <IconButton label="Dismiss" size="sm" className="-mt-1 -mr-1 size-6" onClick={onClose}>
          <CloseIcon size={14} />
        </IconButton>
      </div>
      {error.issues.length > 0 && (
        <ul className="mt-2 flex max-h-64 flex-col gap-1 overflow-y-auto">
          {error.issues.map((issue, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: issues have no id and never reorder
            <li key={index} className="rounded bg-danger-soft px-2 py-1">
              {issue.nodeId && (
                <button
                  type="button"
                  className="mr-1 font-medium text-danger underline-offset-2 hover:underline"
                  title="Select this node"
                  onClick={() => useEditorStore.getState().setSelection([issue.nodeId!])}
                >
                  {labels[issue.nodeId] ?? issue.nodeId}:
                </button>
              )}
              <span className="break-words">{issue.message}</span>
            </li>
          ))}
        </ul>
      )}
      {error.missingCredential && (
        <p className="mt-2 text-muted">
          Add the key in <span className="font-medium text-text">Settings → Credentials</span>, then run again.
        </p>
      )}
    </div>
  )
}
