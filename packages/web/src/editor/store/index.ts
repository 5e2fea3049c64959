export type { EditOptions, EditorState, SaveState } from './editor-store.ts'
export { selectedWorkflowNodes, useEditorStore } from './editor-store.ts'
