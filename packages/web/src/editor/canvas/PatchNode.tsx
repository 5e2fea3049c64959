import type { NodeCatalogEntry, ValidationIssue, WorkflowNode } from '@patchbay/core'
import { describePort, type PortSpec } from '@patchbay/core'
import { Handle, type Node, type NodeProps, Position } from '@xyflow/react'
import { memo, useMemo } from 'react'
import { PlayIcon } from '../../ui/icons.tsx'
import { categoryColor, typeColor } from '../catalog.ts'
import { setParam } from '../graph/document-ops.ts'
import { ParamInput } from '../params/ParamInput.tsx'
import { fieldsOf } from '../params/schema.ts'
import { NodeRunOverlay, runNode, useRunStore } from '../run/index.ts'
import { useEditorStore } from '../store/index.ts'

export interface PatchNodeData extends Record<string, unknown> {
  node: WorkflowNode
  entry: NodeCatalogEntry | undefined
  /** Input handles with an edge: a same-named param is driven by it. */
  connectedInputs: string[]
  issues: ValidationIssue[]
}

export type PatchFlowNode = Node<PatchNodeData, 'patch'>

/** A node card: title, ports on both sides, generated param controls, run overlay. */
export const PatchNode = memo(function PatchNode({ data, selected }: NodeProps<PatchFlowNode>) {
  const { node, entry, connectedInputs, issues } = data
  const readOnly = useEditorStore((s) => s.readOnly)
  const edit = useEditorStore((s) => s.edit)
  const fields = useMemo(() => fieldsOf(entry?.params), [entry])
  const inputs = Object.entries(entry?.inputs ?? {})
  const outputs = Object.entries(entry?.outputs ?? {})
  const accent = categoryColor(entry?.category ?? '')
  const errors = issues.length
  const busy = useRunStore((s) => s.starting || s.run?.status === 'running')

  return (
    <div
      className="pb-node w-[260px] rounded-lg border text-xs shadow-sm"
      style={{
        background: 'var(--pb-panel, #fff)',
        borderColor: selected
          ? 'var(--pb-accent, #4f46e5)'
          : errors
            ? 'var(--pb-warning, #c27803)'
            : 'var(--pb-border, #e2e2e6)',
        boxShadow: selected ? '0 0 0 2px var(--pb-accent, #4f46e5)' : undefined,
        color: 'var(--pb-text, #18181b)',
      }}
      data-node-id={node.id}
    >
      <div
        className="flex items-center gap-2 rounded-t-lg border-b px-3 py-2"
        style={{ borderColor: 'var(--pb-border, #e2e2e6)', borderTop: `3px solid ${accent}` }}
      >
        <div className="min-w-0 flex-1">
          <div className="truncate font-semibold text-[13px]" data-testid="node-title">
            {node.label ?? entry?.title ?? node.type}
          </div>
          <div className="truncate font-mono text-[10px]" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
            {node.id} · {node.type}
          </div>
        </div>
        {errors > 0 ? (
          <span
            className="rounded-full px-1.5 py-0.5 font-semibold text-[10px]"
            style={{ background: 'var(--pb-warning-soft, #fdf4e3)', color: 'var(--pb-warning, #c27803)' }}
            title={issues.map((issue) => issue.message).join('\n')}
            data-testid="node-issues"
          >
            ⚠ {errors}
          </span>
        ) : null}
        {readOnly || !entry ? null : (
          <button
            type="button"
            className="nodrag pb-icon-button"
            disabled={busy}
            title="Run this node (what it needs upstream comes from the cache where it can)"
            aria-label={`Run ${node.id}`}
            onClick={() => void runNode(node.id)}
          >
            <PlayIcon size={12} />
          </button>
        )}
      </div>

      {!entry ? (
        <div className="px-3 py-2" style={{ color: 'var(--pb-danger, #dc2626)' }}>
          Unknown node type “{node.type}”
        </div>
      ) : null}

      {inputs.length + outputs.length > 0 ? (
        <div className="grid grid-cols-2 gap-x-2 py-1.5">
          <div className="flex flex-col gap-1">
            {inputs.map(([name, spec]) => (
              <Port key={name} name={name} spec={spec} side="input" />
            ))}
          </div>
          <div className="flex flex-col gap-1">
            {outputs.map(([name, spec]) => (
              <Port key={name} name={name} spec={spec} side="output" />
            ))}
          </div>
        </div>
      ) : null}

      {fields.length > 0 ? (
        <div className="flex flex-col gap-2 border-t px-3 py-2" style={{ borderColor: 'var(--pb-border, #e2e2e6)' }}>
          {fields.map((field) => {
            const driven = connectedInputs.includes(field.key)
            const issue = issues.find((candidate) => candidate.field === field.key)
            return (
              <div key={field.key} className="flex flex-col gap-1" title={field.description}>
                <span
                  className="flex items-center justify-between text-[11px]"
                  style={{ color: 'var(--pb-muted, #6b6b76)' }}
                >
                  <span>
                    {field.label}
                    {field.required ? ' *' : ''}
                  </span>
                  {driven ? <span className="italic">driven by connection</span> : null}
                </span>
                {driven ? null : (
                  <ParamInput
                    field={field}
                    nodeType={node.type}
                    value={node.params[field.key]}
                    disabled={readOnly}
                    onChange={(value) =>
                      edit((document) => setParam(document, node.id, field.key, value), {
                        coalesce: `param:${node.id}:${field.key}`,
                      })
                    }
                  />
                )}
                {issue ? (
                  <span className="text-[11px]" style={{ color: 'var(--pb-danger, #dc2626)' }}>
                    {issue.message}
                  </span>
                ) : null}
              </div>
            )
          })}
        </div>
      ) : null}

      {issues.some((issue) => !issue.field) ? (
        <ul
          className="flex flex-col gap-0.5 border-t px-3 py-1.5 text-[11px]"
          style={{ borderColor: 'var(--pb-border, #e2e2e6)', color: 'var(--pb-warning, #c27803)' }}
        >
          {issues
            .filter((issue) => !issue.field)
            .slice(0, 3)
            .map((issue) => (
              <li key={`${issue.code}:${issue.handle ?? ''}:${issue.message}`}>{shortMessage(issue.message)}</li>
            ))}
        </ul>
      ) : null}

      <div className="nodrag nowheel cursor-default">
        <NodeRunOverlay nodeId={node.id} />
      </div>
    </div>
  )
})

/** Drops the `node "x": ` prefix: the card already says which node. */
function shortMessage(message: string): string {
  return message.replace(/^node "[^"]*": /, '')
}

function Port({ name, spec, side }: { name: string; spec: PortSpec; side: 'input' | 'output' }) {
  const color = typeColor(spec.type)
  const input = side === 'input'
  return (
    <div
      className={`relative flex items-center gap-1 ${input ? 'pl-3' : 'justify-end pr-3'}`}
      title={`${spec.label ?? name}: ${describePort(spec)}${spec.multiple ? ' (many)' : ''}${spec.required ? ', required' : ''}${spec.description ? `\n${spec.description}` : ''}`}
    >
      <Handle
        type={input ? 'target' : 'source'}
        position={input ? Position.Left : Position.Right}
        id={name}
        className="pb-handle"
        style={{
          background: spec.list || spec.multiple ? 'var(--pb-panel, #fff)' : color,
          borderColor: color,
          borderWidth: 2,
          width: 11,
          height: 11,
          borderRadius: spec.multiple ? 3 : '50%',
        }}
      />
      <span className="truncate">
        {spec.label ?? name}
        {spec.required ? <span style={{ color: 'var(--pb-danger, #dc2626)' }}>*</span> : null}
      </span>
      <span className="text-[10px]" style={{ color }}>
        {describePort(spec)}
      </span>
    </div>
  )
}
