import { type AnnotationColor, annotationColors, annotationSizeLimits } from '@patchbay/core'
import { NodeResizer, NodeToolbar, type OnResize, type OnResizeEnd, Position } from '@xyflow/react'
import { useCallback } from 'react'
import { endResize, setAnnotationColor, showResize } from '../annotation-actions.ts'

// What notes and groups share: resize handles and the colour toolbar of the selected one.

const colorNames: Record<AnnotationColor, string> = {
  yellow: 'Yellow',
  blue: 'Blue',
  green: 'Green',
  pink: 'Pink',
  purple: 'Purple',
  gray: 'Gray',
}

/** Resize handles on every side and corner, shown while the element is selected and editable. */
export function AnnotationResizer({
  id,
  kind,
  visible,
  minWidth,
  minHeight,
}: {
  id: string
  kind: 'note' | 'group'
  visible: boolean
  minWidth: number
  minHeight: number
}) {
  // Stable callbacks: React Flow re-binds its drag handlers whenever they change, and the
  // element re-renders on every step of its own resize.
  const onResize: OnResize = useCallback((_event, params) => showResize(id, params), [id])
  const onResizeEnd: OnResizeEnd = useCallback((_event, params) => endResize(id, kind, params), [id, kind])
  return (
    <NodeResizer
      nodeId={id}
      isVisible={visible}
      minWidth={Math.max(minWidth, annotationSizeLimits.min)}
      minHeight={Math.max(minHeight, annotationSizeLimits.min)}
      maxWidth={annotationSizeLimits.max}
      maxHeight={annotationSizeLimits.max}
      color="var(--pb-accent, #4f46e5)"
      handleClassName="pb-resize-handle"
      onResize={onResize}
      onResizeEnd={onResizeEnd}
    />
  )
}

/** The colour swatches of a note or group. */
export function ColorSwatches({
  id,
  kind,
  color,
  className = '',
}: {
  id: string
  kind: 'note' | 'group'
  color: AnnotationColor
  className?: string
}) {
  return (
    <div
      role="toolbar"
      aria-label={`${kind === 'note' ? 'Note' : 'Group'} colour`}
      className={`nodrag flex items-center gap-1 rounded-full border px-1.5 py-1 ${className}`}
      style={{ background: 'var(--pb-panel, #fff)', borderColor: 'var(--pb-border, #e2e2e6)' }}
    >
      {annotationColors.map((option) => (
        <button
          type="button"
          key={option}
          className={`pb-tint-${option} pb-swatch`}
          aria-label={colorNames[option]}
          aria-pressed={option === color}
          title={colorNames[option]}
          onClick={() => setAnnotationColor(id, kind, option)}
        />
      ))}
    </div>
  )
}

/** The swatches floating above a lone selected note (React Flow shows the toolbar then). */
export function ColorToolbar({ id, kind, color }: { id: string; kind: 'note' | 'group'; color: AnnotationColor }) {
  return (
    <NodeToolbar nodeId={id} position={Position.Top} offset={8}>
      <ColorSwatches id={id} kind={kind} color={color} className="shadow-pop" />
    </NodeToolbar>
  )
}
