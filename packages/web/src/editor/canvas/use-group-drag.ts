import { useMemo, useRef } from 'react'
import type { SizeOf } from '../annotation-actions.ts'
import { groupContents, rectsOf } from '../graph/annotations.ts'
import type { XY } from '../graph/geometry.ts'
import { useEditorStore } from '../store/index.ts'

interface Follower {
  group: string
  origin: XY
}

/**
 * Dragging a group by its header carries what lies inside it (nodes and notes whose centre is
 * in the frame, groups entirely in it), like ComfyUI's groups. React Flow drags the group; each
 * step adds its contents to the store's drag positions, so the canvas shows them moving and the
 * drag's end commits everything as one undo step.
 *
 * @example
 * const groupDrag = useGroupDrag(measuredSizes(flow))
 * <ReactFlow onNodeDragStart={(_e, _n, dragged) => groupDrag.start(dragged)}
 *            onNodeDrag={(_e, _n, dragged) => groupDrag.drag(dragged)} />
 */
export function useGroupDrag(sizeOf: SizeOf) {
  // The latest sizeOf, read at drag start: the drag state below must outlive re-renders.
  const sizes = useRef(sizeOf)
  sizes.current = sizeOf
  return useMemo(() => {
    let groups = new Map<string, XY>()
    let followers = new Map<string, Follower>()
    return {
      /** A drag starts with these elements (what React Flow moves itself). */
      start(dragged: { id: string; type?: string; position: XY }[]) {
        groups = new Map()
        followers = new Map()
        const document = useEditorStore.getState().document
        const sizeOf = sizes.current
        const moving = new Set(dragged.map((node) => node.id))
        let rects: ReturnType<typeof rectsOf> | undefined
        for (const node of dragged) {
          if (node.type !== 'frame') continue
          groups.set(node.id, { ...node.position })
          rects ??= rectsOf(document, sizeOf)
          for (const id of groupContents(document, node.id, sizeOf)) {
            const rect = rects.get(id)
            if (!rect || moving.has(id) || followers.has(id)) continue
            followers.set(id, { group: node.id, origin: { x: rect.x, y: rect.y } })
          }
        }
      },
      /** One drag step: the dragged groups' contents follow them (shown; committed at drag end). */
      drag(dragged: { id: string; position: XY }[]) {
        if (followers.size === 0) return
        const now = new Map(dragged.map((node) => [node.id, node.position]))
        const positions: Record<string, XY> = {}
        for (const [id, { group, origin }] of followers) {
          const at = now.get(group)
          const start = groups.get(group)
          if (at && start) positions[id] = { x: origin.x + at.x - start.x, y: origin.y + at.y - start.y }
        }
        const state = useEditorStore.getState()
        state.setDragPositions({ ...state.dragPositions, ...positions })
      },
    }
  }, [])
}
