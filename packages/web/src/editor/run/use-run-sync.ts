import { useEffect } from 'react'
import { useEditorStore } from '../store/index.ts'
import { useRunStore } from './run-store.ts'

/**
 * Keeps the run store on the editor's workflow: on opening it, shows its latest run (following
 * it live if it is still going); on leaving the editor, stops following. {@link RunControls}
 * calls it, so mount it only where RunControls is absent.
 */
export function useRunSync(): void {
  const workflowId = useEditorStore((s) => s.workflowId)
  useEffect(() => {
    if (workflowId) void useRunStore.getState().openWorkflow(workflowId)
  }, [workflowId])
  useEffect(() => () => useRunStore.getState().close(), [])
}
