import '@xyflow/react/dist/style.css'
import './editor.css'
import { useQuery } from '@tanstack/react-query'
import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { useCallback, useEffect, useState } from 'react'
import { api } from '../app/api.ts'
import { errorMessage } from '../app/errors.ts'
import { roleAtLeast, useRole } from '../app/session.ts'
import { ErrorState } from '../ui/EmptyState.tsx'
import { PageSpinner } from '../ui/Spinner.tsx'
import { addNode } from './actions.ts'
import { addNote, groupSelection, measuredSizes } from './annotation-actions.ts'
import { Canvas } from './canvas/Canvas.tsx'
import { type NodeCatalog, useNodeCatalog } from './catalog.ts'
import { ConflictDialog } from './chrome/ConflictDialog.tsx'
import { Palette } from './chrome/Palette.tsx'
import { ShortcutsDialog } from './chrome/ShortcutsDialog.tsx'
import { TopBar } from './chrome/TopBar.tsx'
import type { XY } from './graph/geometry.ts'
import { RunPanel } from './run/index.ts'
import { useEditorStore } from './store/index.ts'

/** The workflow editor at `/workflows/:id`: palette, canvas, top bar and run panel. */
export function EditorPage({ workflowId }: { workflowId: string }) {
  const role = useRole()
  const readOnly = !roleAtLeast(role, 'editor')
  const workflow = useQuery({
    queryKey: ['workflow', workflowId, 'editor'],
    queryFn: () => api.workflows.get(workflowId),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  })
  const catalog = useNodeCatalog()
  const loadedId = useEditorStore((s) => s.workflowId)

  // Load once per fetched workflow; a role change applies through the next effect, not a reload.
  // biome-ignore lint/correctness/useExhaustiveDependencies: readOnly deliberately left out
  useEffect(() => {
    if (workflow.data) useEditorStore.getState().load(workflow.data, { readOnly })
  }, [workflow.data])

  useEffect(() => {
    useEditorStore.setState({ readOnly })
  }, [readOnly])

  useFlushOnLeave()

  if (workflow.error || catalog.error) {
    return (
      <div className="p-8">
        <ErrorState
          message={errorMessage(workflow.error ?? catalog.error)}
          onRetry={() => {
            void workflow.refetch()
            void catalog.refetch()
          }}
        />
      </div>
    )
  }
  if (!workflow.data || !catalog.data || loadedId !== workflowId) return <PageSpinner />
  return (
    <ReactFlowProvider>
      <EditorLayout catalog={catalog.data} />
    </ReactFlowProvider>
  )
}

function EditorLayout({ catalog }: { catalog: NodeCatalog }) {
  const flow = useReactFlow()
  const readOnly = useEditorStore((s) => s.readOnly)
  const [help, setHelp] = useState(false)
  const [panelOpen, setPanelOpen] = useState(false)
  const openHelp = useCallback(() => setHelp(true), [])

  // A node's top-left goes half a card up and left of the centre, so the card lands centred.
  const addFromPalette = (type: string) => {
    addNode(type, flow.screenToFlowPosition(paneCenter({ x: 130, y: 60 })), catalog)
  }

  const annotateFromPalette = (kind: 'note' | 'group') => {
    const center = flow.screenToFlowPosition(paneCenter())
    if (kind === 'note') addNote(center)
    else groupSelection(center, measuredSizes(flow))
  }

  return (
    <div
      className="pb-editor flex h-full flex-col"
      style={{ background: 'var(--pb-bg, #f6f6f7)', color: 'var(--pb-text, #18181b)' }}
    >
      <TopBar onHelp={openHelp} panelOpen={panelOpen} onTogglePanel={() => setPanelOpen((open) => !open)} />
      <div className="flex min-h-0 flex-1">
        {readOnly ? null : (
          <Palette catalog={catalog} readOnly={readOnly} onAdd={addFromPalette} onAnnotate={annotateFromPalette} />
        )}
        <main className="min-w-0 flex-1">
          <Canvas catalog={catalog} onHelp={openHelp} />
        </main>
        {panelOpen ? (
          <aside
            className="flex w-96 shrink-0 flex-col overflow-y-auto border-l"
            style={{ background: 'var(--pb-panel, #fff)', borderColor: 'var(--pb-border, #e2e2e6)' }}
            aria-label="Run history"
          >
            <RunPanel />
          </aside>
        ) : null}
      </div>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
      <ConflictDialog />
    </div>
  )
}

/** Saves pending edits when the page is hidden or left, and warns before closing with unsaved work. */
function useFlushOnLeave() {
  useEffect(() => {
    const flush = () => {
      const { saveState, readOnly } = useEditorStore.getState()
      if (!readOnly && (saveState === 'dirty' || saveState === 'error')) {
        void useEditorStore
          .getState()
          .flushSave()
          .catch(() => undefined)
      }
    }
    const onVisibility = () => {
      if (window.document.visibilityState === 'hidden') flush()
    }
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      const { saveState, readOnly } = useEditorStore.getState()
      if (readOnly || saveState === 'saved') return
      flush()
      event.preventDefault()
    }
    window.document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pagehide', flush)
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => {
      window.document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', flush)
      window.removeEventListener('beforeunload', onBeforeUnload)
      flush() // leaving the editor inside the app
    }
  }, [])
}

/** The middle of the canvas on screen, less `offset` (the origin when there is no canvas). */
function paneCenter(offset: XY = { x: 0, y: 0 }): XY {
  const pane = window.document.querySelector('.react-flow')?.getBoundingClientRect()
  return pane ? { x: pane.left + pane.width / 2 - offset.x, y: pane.top + pane.height / 2 - offset.y } : { x: 0, y: 0 }
}
