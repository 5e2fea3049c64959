import type { WorkflowGroup } from '@patchbay/core'
import type { Node, NodeProps } from '@xyflow/react'
import { memo, useEffect, useRef } from 'react'
import { setGroupLabel } from '../annotation-actions.ts'
import { colorOf } from '../graph/annotations.ts'
import { useEditorStore } from '../store/index.ts'
import { AnnotationResizer, ColorSwatches } from './AnnotationChrome.tsx'
import { useAnnotationEditing } from './annotation-editing.ts'

export interface GroupNodeData extends Record<string, unknown> {
  group: WorkflowGroup
}

/** React Flow's own `group` type comes with styles of its own, hence `frame`. */
export type GroupFlowNode = Node<GroupNodeData, 'frame'>

/**
 * A labelled frame behind nodes. Its header is the drag handle (dragging it carries what lies
 * inside, see the canvas); double-clicking the label renames it. The body lets the pointer
 * through, so nodes inside stay clickable and the canvas can be panned or box-selected there.
 */
export const GroupNode = memo(function GroupNode({ id, data, selected }: NodeProps<GroupFlowNode>) {
  const { group } = data
  const readOnly = useEditorStore((s) => s.readOnly)
  const editing = useAnnotationEditing((s) => s.editingId === id) && !readOnly
  const color = colorOf(group, 'group')

  return (
    <div
      className={`pb-group pb-tint-${color} flex h-full w-full flex-col rounded-xl border-[1.5px]`}
      data-group-id={id}
      data-selected={selected || undefined}
    >
      <AnnotationResizer id={id} kind="group" visible={selected && !readOnly} minWidth={160} minHeight={96} />
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the pointer path; Enter on the selected group is the keyboard one */}
      <div
        className="pb-group-header flex h-10 shrink-0 items-center gap-2 rounded-t-[10px] px-3"
        title={readOnly ? group.label : 'Drag to move the group and what is inside it; double-click to rename'}
        onDoubleClick={() => {
          if (!readOnly) useAnnotationEditing.getState().startEditing(id)
        }}
      >
        {editing ? (
          <LabelInput id={id} label={group.label} />
        ) : (
          <span
            className="min-w-0 truncate font-semibold text-[15px]"
            style={{ color: group.label ? 'var(--pb-tint-text)' : 'var(--pb-note-muted)' }}
            data-testid="group-label"
          >
            {group.label || 'Untitled group'}
          </span>
        )}
        {/* In the header rather than above it: a group often reaches the top of the view. */}
        {selected && !readOnly ? <ColorSwatches id={id} kind="group" color={color} className="ml-auto" /> : null}
      </div>
    </div>
  )
})

/** The label being renamed: Enter or leaving the field keeps it, Escape drops the change. */
function LabelInput({ id, label }: { id: string; label: string }) {
  const input = useRef<HTMLInputElement>(null)
  const canceled = useRef(false)

  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])

  return (
    <input
      ref={input}
      className="nodrag nopan min-w-0 flex-1 rounded-md border bg-[var(--pb-panel,#fff)] px-1.5 py-0.5 font-semibold text-[15px] outline-none"
      style={{ borderColor: 'var(--pb-accent, #4f46e5)', color: 'var(--pb-text, #18181b)' }}
      defaultValue={label}
      maxLength={200}
      aria-label="Group label"
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur()
        else if (event.key === 'Escape') {
          canceled.current = true
          event.currentTarget.blur()
        }
      }}
      onBlur={(event) => {
        if (!canceled.current) setGroupLabel(id, event.currentTarget.value)
        useAnnotationEditing.getState().stopEditing(id)
      }}
    />
  )
}
