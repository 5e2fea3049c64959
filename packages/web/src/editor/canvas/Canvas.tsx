import {
  Background,
  BackgroundVariant,
  type Connection,
  Controls,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  MiniMap,
  type NodeChange,
  type OnConnectEnd,
  ReactFlow,
  useReactFlow,
} from '@xyflow/react'
import { type DragEvent, type MouseEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { addImageFiles, addNode, pasteText, selectionAsText } from '../actions.ts'
import { addNote, groupSelection, measuredSizes } from '../annotation-actions.ts'
import { categoryColor, type NodeCatalog } from '../catalog.ts'
import { isEditableTarget, useEditorShortcuts } from '../chrome/use-shortcuts.ts'
import { checkConnection, portOf } from '../graph/connections.ts'
import { connect, edgeIds, moveNodes, newEdgeId } from '../graph/document-ops.ts'
import type { XY } from '../graph/geometry.ts'
import { useEditorStore } from '../store/index.ts'
import { ANNOTATION_DRAG_TYPE, NODE_DRAG_TYPE } from './dnd.ts'
import { type CanvasNode, createAnnotationBuilder, createNodeBuilder, toFlowEdges } from './flow-elements.ts'
import { GroupNode } from './GroupNode.tsx'
import { NoteNode } from './NoteNode.tsx'
import { PatchNode } from './PatchNode.tsx'
import { QuickAdd, type QuickAddRequest } from './QuickAdd.tsx'
import { useGroupDrag } from './use-group-drag.ts'

const nodeTypes = { patch: PatchNode, note: NoteNode, frame: GroupNode }

/** Cards by category; notes and groups as soft tints (groups are drawn first, under the cards). */
function miniMapColor(node: CanvasNode): string {
  if (node.type === 'note') return 'rgb(234 179 8 / 0.55)'
  if (node.type === 'frame') return 'rgb(113 113 122 / 0.18)'
  return categoryColor(node.data.entry?.category ?? '')
}

interface Hint {
  text: string
  x: number
  y: number
  tone: 'error' | 'info'
}

/** The graph: React Flow bound to the editor store. */
export function Canvas({ catalog, onHelp }: { catalog: NodeCatalog; onHelp(): void }) {
  const flow = useReactFlow()
  const document = useEditorStore((s) => s.document)
  const issues = useEditorStore((s) => s.issues)
  const selectedNodeIds = useEditorStore((s) => s.selectedNodeIds)
  const selectedEdgeIds = useEditorStore((s) => s.selectedEdgeIds)
  const dragPositions = useEditorStore((s) => s.dragPositions)
  const dragSizes = useEditorStore((s) => s.dragSizes)
  const readOnly = useEditorStore((s) => s.readOnly)
  const [measured, setMeasured] = useState<ReadonlyMap<string, { width: number; height: number }>>(new Map())
  // Fit the view to a loaded graph once; an empty one keeps the default viewport as nodes arrive.
  const [fitOnLoad] = useState(() => {
    const { nodes: cards, notes, groups } = useEditorStore.getState().document
    return cards.length + (notes?.length ?? 0) + (groups?.length ?? 0) > 0
  })
  const [quickAdd, setQuickAdd] = useState<QuickAddRequest | null>(null)
  const [hint, setHint] = useState<Hint | null>(null)
  const wrapperRef = useRef<HTMLDivElement>(null)
  const pointer = useRef<{ x: number; y: number } | null>(null)
  const hintTimer = useRef<ReturnType<typeof setTimeout>>(undefined)

  const buildNodes = useMemo(() => createNodeBuilder(), [])
  const buildAnnotations = useMemo(() => createAnnotationBuilder(), [])
  const patchNodes = useMemo(
    () =>
      buildNodes({ document, catalog, issues, selectedNodeIds, selectedEdgeIds, dragPositions, measured, readOnly }),
    [buildNodes, document, catalog, issues, selectedNodeIds, selectedEdgeIds, dragPositions, measured, readOnly],
  )
  const annotations = useMemo(
    () => buildAnnotations({ document, selectedNodeIds, dragPositions, dragSizes, readOnly }),
    [buildAnnotations, document, selectedNodeIds, dragPositions, dragSizes, readOnly],
  )
  // Groups first (behind, see groupZIndex), notes last (over the cards they annotate).
  const nodes = useMemo<CanvasNode[]>(
    () => [...annotations.groups, ...patchNodes, ...annotations.notes],
    [annotations, patchNodes],
  )
  const sizeOf = useMemo(() => measuredSizes(flow), [flow])
  const groupDrag = useGroupDrag(sizeOf)
  const edges = useMemo(
    () => toFlowEdges({ document, catalog, issues, selectedEdgeIds }),
    [document, catalog, issues, selectedEdgeIds],
  )

  const showHint = useCallback((text: string, tone: Hint['tone'] = 'error', ms = 1800) => {
    const at = pointer.current ?? { x: 200, y: 80 }
    setHint({ text, x: at.x, y: at.y, tone })
    clearTimeout(hintTimer.current)
    hintTimer.current = setTimeout(() => setHint(null), ms)
  }, [])

  /** Canvas-relative and flow coordinates of a client point (default: the pointer). */
  const placeAt = useCallback(
    (client?: { x: number; y: number }) => {
      const rect = wrapperRef.current?.getBoundingClientRect()
      const fallback = rect ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 3 } : { x: 0, y: 0 }
      const point =
        client ??
        (pointer.current && rect ? { x: pointer.current.x + rect.left, y: pointer.current.y + rect.top } : fallback)
      return {
        screen: { x: point.x - (rect?.left ?? 0), y: point.y - (rect?.top ?? 0) },
        flow: flow.screenToFlowPosition(point),
      }
    },
    [flow],
  )

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    const state = useEditorStore.getState()
    const dragging: Record<string, XY> = {}
    const moved: Record<string, XY> = {}
    let selection: Set<string> | null = null
    let sizes: Map<string, { width: number; height: number }> | null = null
    for (const change of changes) {
      // A note or group being resized: its NodeResizer shows and commits the change itself.
      if ((change.type === 'position' || change.type === 'dimensions') && change.id in state.dragSizes) continue
      if (change.type === 'position' && change.position) {
        if (change.dragging) dragging[change.id] = change.position
        else moved[change.id] = change.position
      } else if (change.type === 'select') {
        selection ??= new Set(state.selectedNodeIds)
        if (change.selected) selection.add(change.id)
        else selection.delete(change.id)
      } else if (change.type === 'dimensions' && change.dimensions) {
        sizes ??= new Map()
        sizes.set(change.id, change.dimensions)
      }
    }
    if (Object.keys(dragging).length > 0) state.setDragPositions({ ...state.dragPositions, ...dragging })
    const movedIds = Object.keys(moved)
    if (movedIds.length > 0 && movedIds.every((id) => id in state.dragPositions)) {
      // The end of a drag: everything shown during it becomes one undoable move.
      const positions = { ...state.dragPositions, ...moved }
      state.edit((current) => moveNodes(current, positions))
      state.setDragPositions(null)
    } else if (movedIds.length > 0) {
      // A move without a drag (arrow keys): taps in a row are one step.
      state.edit((current) => moveNodes(current, moved), { coalesce: 'nudge' })
    }
    if (selection) state.setSelection([...selection], state.selectedEdgeIds)
    if (sizes) {
      const changed = sizes
      setMeasured((previous) => {
        const next = new Map(previous)
        for (const [id, size] of changed) next.set(id, size)
        return next
      })
    }
  }, [])

  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const state = useEditorStore.getState()
    let selection: Set<string> | null = null
    for (const change of changes) {
      if (change.type === 'select') {
        selection ??= new Set(state.selectedEdgeIds)
        if (change.selected) selection.add(change.id)
        else selection.delete(change.id)
      }
    }
    if (selection) state.setSelection(state.selectedNodeIds, [...selection])
  }, [])

  /** Drag end: the positions shown during the drag become one undoable move. */
  const commitDrag = useCallback(() => {
    const state = useEditorStore.getState()
    const positions = state.dragPositions
    if (Object.keys(positions).length === 0) return
    state.edit((current) => moveNodes(current, positions))
    state.setDragPositions(null)
  }, [])

  const isValidConnection = useCallback(
    (connection: Connection | Edge) => {
      const check = checkConnection(useEditorStore.getState().document, catalog, {
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? '',
        target: connection.target,
        targetHandle: connection.targetHandle ?? '',
      })
      if (!check.ok) showHint(check.reason)
      else if (check.replaces) showHint('replaces the existing connection', 'info', 1200)
      return check.ok
    },
    [catalog, showHint],
  )

  const onConnect = useCallback(
    (connection: Connection) => {
      const state = useEditorStore.getState()
      const ends = {
        source: connection.source,
        sourceHandle: connection.sourceHandle ?? '',
        target: connection.target,
        targetHandle: connection.targetHandle ?? '',
      }
      const check = checkConnection(state.document, catalog, ends)
      if (!check.ok) return showHint(check.reason)
      setHint(null)
      state.edit((current) => connect(current, { id: newEdgeId(edgeIds(current)), ...ends }, check.replaces))
    },
    [catalog, showHint],
  )

  const onConnectEnd: OnConnectEnd = useCallback(
    (event: globalThis.MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || state.toHandle || !state.fromHandle || !state.fromNode || readOnly) return
      const target = event.target as HTMLElement | null
      if (!target?.classList.contains('react-flow__pane')) return
      const handle = state.fromHandle.id ?? ''
      const from = state.fromHandle.type === 'source' ? 'source' : 'target'
      const spec = portOf(
        useEditorStore.getState().document,
        catalog,
        state.fromNode.id,
        handle,
        from === 'source' ? 'outputs' : 'inputs',
      )
      if (!spec) return
      const point = 'changedTouches' in event ? event.changedTouches[0] : event
      if (!point) return
      setQuickAdd({
        ...placeAt({ x: point.clientX, y: point.clientY }),
        wire: { nodeId: state.fromNode.id, handle, spec, from },
      })
    },
    [catalog, placeAt, readOnly],
  )

  const openQuickAdd = useCallback(() => setQuickAdd(placeAt()), [placeAt])
  const addNoteHere = useCallback(() => void addNote(placeAt().flow), [placeAt])
  const groupHere = useCallback(() => void groupSelection(placeAt().flow, sizeOf), [placeAt, sizeOf])
  useEditorShortcuts({ onQuickAdd: openQuickAdd, onHelp, onAddNote: addNoteHere, onGroup: groupHere })

  // Copy and paste through the system clipboard, so they work across tabs and workflows.
  useEffect(() => {
    function onCopy(event: ClipboardEvent) {
      if (isEditableTarget(event.target) || window.getSelection()?.toString()) return
      const text = selectionAsText()
      if (!text || !event.clipboardData) return
      event.clipboardData.setData('text/plain', text)
      event.preventDefault()
    }
    function onPaste(event: ClipboardEvent) {
      if (isEditableTarget(event.target) || useEditorStore.getState().readOnly || !event.clipboardData) return
      const files = [...event.clipboardData.files]
      if (files.length > 0) {
        event.preventDefault()
        void addImageFiles(files, placeAt().flow, catalog).then((failures) => {
          if (failures.length > 0) showHint(failures.join('\n'), 'error', 4000)
        })
        return
      }
      const text = event.clipboardData.getData('text/plain')
      if (text && pasteText(text, pointer.current ? placeAt().flow : undefined)) event.preventDefault()
    }
    window.document.addEventListener('copy', onCopy)
    window.document.addEventListener('paste', onPaste)
    return () => {
      window.document.removeEventListener('copy', onCopy)
      window.document.removeEventListener('paste', onPaste)
    }
  }, [catalog, placeAt, showHint])

  const onDrop = useCallback(
    (event: DragEvent) => {
      event.preventDefault()
      if (readOnly) return
      const { flow: at } = placeAt({ x: event.clientX, y: event.clientY })
      const annotation = event.dataTransfer.getData(ANNOTATION_DRAG_TYPE)
      if (annotation === 'note') addNote(at)
      else if (annotation === 'group') groupSelection(at, sizeOf)
      if (annotation) return
      const type = event.dataTransfer.getData(NODE_DRAG_TYPE)
      if (type) {
        addNode(type, at, catalog)
        return
      }
      const files = [...event.dataTransfer.files]
      if (files.length > 0) {
        showHint(`Uploading ${files.length === 1 ? files[0]?.name : `${files.length} files`}…`, 'info', 1500)
        void addImageFiles(files, at, catalog).then((failures) => {
          if (failures.length > 0) showHint(failures.join('\n'), 'error', 4000)
        })
      }
    },
    [catalog, placeAt, readOnly, showHint, sizeOf],
  )

  return (
    <div
      ref={wrapperRef}
      role="application"
      aria-label="Workflow canvas"
      className="relative h-full w-full"
      onMouseMove={(event: MouseEvent) => {
        const rect = wrapperRef.current?.getBoundingClientRect()
        if (rect) pointer.current = { x: event.clientX - rect.left, y: event.clientY - rect.top }
      }}
      onMouseLeave={() => {
        pointer.current = null
      }}
      onDoubleClick={(event) => {
        if (readOnly || !(event.target as HTMLElement).classList.contains('react-flow__pane')) return
        setQuickAdd(placeAt({ x: event.clientX, y: event.clientY }))
      }}
      onDragOver={(event) => {
        event.preventDefault()
        event.dataTransfer.dropEffect = readOnly ? 'none' : 'copy'
      }}
      onDrop={onDrop}
    >
      <ReactFlow<CanvasNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStart={(_event, _node, dragged) => groupDrag.start(dragged)}
        onNodeDrag={(_event, _node, dragged) => groupDrag.drag(dragged)}
        onSelectionDragStart={(_event, dragged) => groupDrag.start(dragged)}
        onSelectionDrag={(_event, dragged) => groupDrag.drag(dragged)}
        onNodeDragStop={commitDrag}
        onSelectionDragStop={commitDrag}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onPaneClick={() => setQuickAdd(null)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        zoomOnDoubleClick={false}
        snapToGrid
        snapGrid={[16, 16]}
        minZoom={0.1}
        maxZoom={2}
        fitView={fitOnLoad}
        fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ interactionWidth: 16 }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} color="var(--pb-border-strong, #cfcfd6)" />
        <MiniMap<CanvasNode>
          pannable
          zoomable
          nodeColor={miniMapColor}
          nodeBorderRadius={4}
          style={{ background: 'var(--pb-panel, #fff)' }}
        />
        <Controls showInteractive={false} />
      </ReactFlow>
      {quickAdd ? (
        <QuickAdd
          request={quickAdd}
          catalog={catalog}
          onClose={() => setQuickAdd(null)}
          onPick={(type) => {
            addNode(type, quickAdd.flow, catalog, quickAdd.wire ? { wire: quickAdd.wire } : {})
            setQuickAdd(null)
          }}
        />
      ) : null}
      {hint ? (
        <div
          role="status"
          className="pointer-events-none absolute z-50 max-w-xs whitespace-pre-line rounded-md px-2 py-1 text-xs shadow"
          style={{
            left: hint.x + 14,
            top: hint.y + 14,
            background: hint.tone === 'error' ? 'var(--pb-danger, #dc2626)' : 'var(--pb-text, #18181b)',
            color: 'var(--pb-panel, #fff)',
          }}
          data-testid="canvas-hint"
        >
          {hint.text}
        </div>
      ) : null}
    </div>
  )
}
