import { formatDate, formatDuration } from '../../app/format.ts'
import { useEditorStore } from '../store/index.ts'
import { costText, formatWhen } from './format.ts'
import { OutputPreview } from './OutputPreview.tsx'
import { useRunStore } from './run-store.ts'
import { StatusBadge, StatusDot } from './StatusBadge.tsx'
import type { NodeLiveState, RunView } from './types.ts'

/** The run on the canvas, node by node: status, timings, cost, error, inputs and outputs. */
export function RunDetailList() {
  const run = useRunStore((s) => s.run)
  const nodes = useEditorStore((s) => s.document.nodes)
  if (!run) return <p className="p-3 text-[12px] text-muted">Pick a run to see its nodes.</p>
  const known = nodes.map((node) => ({ id: node.id, label: node.label ?? node.id, type: node.type }))
  // Nodes of the run that the document no longer has still deserve a row.
  const extra = Object.keys(run.nodes)
    .filter((id) => !known.some((node) => node.id === id))
    .map((id) => ({ id, label: id, type: run.nodes[id]?.nodeType ?? '' }))
  const rows = [...known, ...extra].filter(({ id }) => run.nodes[id]?.runId === run.id)
  return (
    <div className="text-[12px]">
      <RunHeader run={run} />
      <ul className="divide-y divide-border">
        {rows.map(({ id, label, type }) => (
          <NodeRow key={id} nodeId={id} label={label} type={type} node={run.nodes[id]!} />
        ))}
      </ul>
    </div>
  )
}

function RunHeader({ run }: { run: RunView }) {
  const facts = [
    run.scope ? `${run.scope.length} selected node${run.scope.length === 1 ? '' : 's'}` : 'whole workflow',
    run.durationMs !== null ? formatDuration(run.durationMs) : null,
    run.cost ? costText(run.cost) : null,
  ].filter(Boolean)
  return (
    <div className="border-border border-b px-3 py-2">
      <div className="flex items-center gap-2">
        <StatusBadge status={run.status} label={run.status} />
        <span className="shrink-0 whitespace-nowrap text-muted" title={formatDate(run.startedAt)}>
          {formatWhen(run.startedAt)}
        </span>
        <span className="ml-auto min-w-0 truncate font-mono text-[10px] text-muted" title={run.id}>
          {run.id}
        </span>
      </div>
      <p className="mt-1 text-muted">{facts.join(' · ')}</p>
      {run.error && (
        <p className="mt-1 break-words rounded bg-danger-soft px-2 py-1 text-danger">
          <span className="font-medium">{run.error.code}</span> {run.error.message}
        </p>
      )}
    </div>
  )
}

function NodeRow({ nodeId, label, type, node }: { nodeId: string; label: string; type: string; node: NodeLiveState }) {
  const meta = [
    node.durationMs !== null ? formatDuration(node.durationMs) : null,
    node.cost ? costText(node.cost) : null,
  ].filter(Boolean)
  return (
    <li>
      <details
        className="group"
        onToggle={(event) => {
          if (event.currentTarget.open) useEditorStore.getState().setSelection([nodeId])
        }}
      >
        <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-1.5 hover:bg-hover [&::-webkit-details-marker]:hidden">
          <span className="inline-block w-2 text-[10px] text-muted transition-transform group-open:rotate-90">▸</span>
          <StatusDot status={node.status} />
          <span className="min-w-0 truncate font-medium">{label}</span>
          {label !== type && <span className="min-w-0 truncate text-[11px] text-muted">{type}</span>}
          <span className="ml-auto shrink-0 text-[11px] text-muted tabular-nums">{meta.join(' · ')}</span>
        </summary>
        <div className="flex flex-col gap-2 px-3 pt-1 pb-3 pl-7">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-[11px]">
            <dt className="text-muted">status</dt>
            <dd>
              {node.status}
              {node.attempt > 1 ? ` (attempt ${node.attempt})` : ''}
              {node.skipReason ? ` — ${node.skipReason.replace('_', ' ')}` : ''}
            </dd>
            <Timing label="queued" at={node.queuedAt} />
            <Timing label="started" at={node.startedAt} />
            <Timing label="finished" at={node.finishedAt} />
          </dl>
          {node.error && (
            <p className="break-words rounded bg-danger-soft px-2 py-1 text-[11px] text-danger">
              <span className="font-medium">{node.error.code}</span> {node.error.message}
            </p>
          )}
          <Values title="Inputs" values={node.inputs} empty={node.status === 'pending' ? null : 'not recorded'} />
          <Values title="Outputs" values={node.outputs} empty={null} />
        </div>
      </details>
    </li>
  )
}

function Timing({ label, at }: { label: string; at: string | null }) {
  if (!at) return null
  return (
    <>
      <dt className="text-muted">{label}</dt>
      <dd title={formatDate(at)}>{formatWhen(at)}</dd>
    </>
  )
}

function Values({
  title,
  values,
  empty,
}: {
  title: string
  values: Record<string, unknown> | null
  empty: string | null
}) {
  const count = values ? Object.keys(values).length : 0
  if (count === 0 && empty === null) return null
  return (
    <section>
      <h4 className="mb-0.5 font-medium text-[10px] text-muted uppercase tracking-wide">{title}</h4>
      {count === 0 ? (
        <p className="text-[11px] text-muted">{values ? 'none' : empty}</p>
      ) : (
        <OutputPreview outputs={values} labelled />
      )}
    </section>
  )
}
