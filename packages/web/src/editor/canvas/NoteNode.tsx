import type { WorkflowNote } from '@patchbay/core'
import type { Node, NodeProps } from '@xyflow/react'
import { memo, useEffect, useRef } from 'react'
import { setNoteText } from '../annotation-actions.ts'
import { colorOf } from '../graph/annotations.ts'
import { Markdown } from '../run/Markdown.tsx'
import { useEditorStore } from '../store/index.ts'
import { AnnotationResizer, ColorToolbar } from './AnnotationChrome.tsx'
import { useAnnotationEditing } from './annotation-editing.ts'
import { useOverflowing } from './use-overflowing.ts'

export interface NoteNodeData extends Record<string, unknown> {
  note: WorkflowNote
}

export type NoteFlowNode = Node<NoteNodeData, 'note'>

/**
 * A sticky note: markdown when shown, a text area while edited (double-click, or right after
 * it is added). Typing is saved as it goes; a pause ends an undo step.
 */
export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const { note } = data
  const readOnly = useEditorStore((s) => s.readOnly)
  const editing = useAnnotationEditing((s) => s.editingId === id) && !readOnly
  const color = colorOf(note, 'note')
  const textarea = useRef<HTMLTextAreaElement>(null)
  const body = useRef<HTMLDivElement>(null)
  // The shown text is the content to measure; while editing, there is no body to measure.
  const overflowing = useOverflowing(body, editing ? null : note.text)

  useEffect(() => {
    if (!editing) return
    const field = textarea.current
    field?.focus()
    field?.setSelectionRange(field.value.length, field.value.length)
  }, [editing])

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the pointer path; Enter on the selected note is the keyboard one
    <div
      className={`pb-note pb-tint-${color} flex h-full w-full flex-col rounded-md border text-[13px] leading-snug`}
      data-note-id={id}
      data-selected={selected || undefined}
      onDoubleClick={() => {
        if (!readOnly) useAnnotationEditing.getState().startEditing(id)
      }}
    >
      <AnnotationResizer id={id} kind="note" visible={selected && !readOnly} minWidth={120} minHeight={64} />
      {readOnly ? null : <ColorToolbar id={id} kind="note" color={color} />}
      {editing ? (
        <textarea
          ref={textarea}
          className="nodrag nowheel nopan h-full w-full flex-1 resize-none bg-transparent px-3 py-2.5 font-mono text-[12px] outline-none"
          style={{ color: 'var(--pb-note-text)' }}
          value={note.text}
          placeholder="Write a note… Markdown works: **bold**, lists, [links](https://…)"
          aria-label="Note text"
          maxLength={20_000}
          onChange={(event) => setNoteText(id, event.target.value)}
          onBlur={() => useAnnotationEditing.getState().stopEditing(id)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur()
          }}
        />
      ) : note.text ? (
        <div
          ref={body}
          className={`min-h-0 flex-1 px-3 py-2.5 ${overflowing ? 'nowheel overflow-y-auto' : 'overflow-hidden'}`}
          style={{ color: 'var(--pb-note-text)' }}
          data-testid="note-body"
        >
          <Markdown text={note.text} />
        </div>
      ) : (
        <p className="px-3 py-2.5 italic" style={{ color: 'var(--pb-note-muted)' }}>
          {readOnly ? 'Empty note' : 'Double-click to write'}
        </p>
      )}
    </div>
  )
})
