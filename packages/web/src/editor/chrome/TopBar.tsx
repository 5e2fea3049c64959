import { useReactFlow } from '@xyflow/react'
import { Link } from 'react-router'
import { useStore } from 'zustand'
import { Button } from '../../ui/Button.tsx'
import { alignSelected, autoLayout } from '../actions.ts'
import { InputsButton } from '../inputs/InputsPanel.tsx'
import { RunInputsDialog } from '../inputs/RunInputsDialog.tsx'
import { RunControls } from '../run/index.ts'
import { selectedWorkflowNodes, useEditorStore } from '../store/index.ts'
import { NameField } from './NameField.tsx'
import { SaveIndicator } from './SaveIndicator.tsx'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)
const mod = isMac ? '⌘' : 'Ctrl+'

/** Back, name, save state, undo/redo, layout, help, and the run controls. */
export function TopBar({
  onHelp,
  panelOpen,
  onTogglePanel,
}: {
  onHelp(): void
  panelOpen: boolean
  onTogglePanel(): void
}) {
  const flow = useReactFlow()
  const readOnly = useEditorStore((s) => s.readOnly)
  const selected = useEditorStore((s) => selectedWorkflowNodes(s).length)
  const canUndo = useStore(useEditorStore.temporal, (s) => s.pastStates.length > 0)
  const canRedo = useStore(useEditorStore.temporal, (s) => s.futureStates.length > 0)

  const layout = () => {
    const sizes = new Map(
      flow
        .getNodes()
        .map((node) => [node.id, { width: node.measured?.width ?? 260, height: node.measured?.height ?? 160 }]),
    )
    autoLayout(sizes)
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }))
  }

  return (
    <header
      className="flex h-12 shrink-0 items-center gap-2 border-b px-3"
      style={{ background: 'var(--pb-panel, #fff)', borderColor: 'var(--pb-border, #e2e2e6)' }}
    >
      <Link to="/" className="rounded px-1.5 py-1 text-sm hover:bg-[var(--pb-hover,#ebebee)]" title="Back to workflows">
        ← Workflows
      </Link>
      <span style={{ color: 'var(--pb-border-strong, #cfcfd6)' }}>/</span>
      <NameField />
      <SaveIndicator />
      <div className="flex-1" />
      {readOnly ? null : (
        <div className="flex items-center gap-1">
          <Button
            variant="ghost"
            size="sm"
            disabled={!canUndo}
            onClick={() => useEditorStore.getState().undo()}
            title={`Undo (${mod}Z)`}
            aria-label="Undo"
          >
            ↶
          </Button>
          <Button
            variant="ghost"
            size="sm"
            disabled={!canRedo}
            onClick={() => useEditorStore.getState().redo()}
            title={`Redo (${mod}Shift+Z)`}
            aria-label="Redo"
          >
            ↷
          </Button>
          <Button variant="ghost" size="sm" onClick={layout} title="Arrange the graph left to right">
            Auto-layout
          </Button>
          {selected > 1 ? (
            <>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => alignSelected('left')}
                title="Align the selected nodes' left edges"
              >
                Align left
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => alignSelected('top')}
                title="Align the selected nodes' top edges"
              >
                Align top
              </Button>
            </>
          ) : null}
        </div>
      )}
      <InputsButton />
      <Button variant="ghost" size="sm" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
        ?
      </Button>
      <Button variant="ghost" size="sm" onClick={onTogglePanel} aria-pressed={panelOpen} title="Run history">
        History
      </Button>
      <RunControls />
      <RunInputsDialog />
    </header>
  )
}
