import { join } from 'node:path'
import { NodeError } from '@patchbay/core'
import type { ComfyGraph } from './graph.ts'

export interface WorkflowFiles {
  /** Holds `<name>.json` API-format graphs; from `COMFYUI_WORKFLOWS_DIR`. */
  dir: string | undefined
  readFile(path: string): Promise<string>
}

/** Loads `<name>.json` from the workflows directory; failures are node errors that retrying cannot fix. */
export async function loadWorkflow(name: string, files: WorkflowFiles): Promise<ComfyGraph> {
  if (!files.dir)
    throw new NodeError('UNKNOWN_MODEL', `ComfyUI workflow "${name}" requested but COMFYUI_WORKFLOWS_DIR is not set`)
  // A name is a file in the directory, never a path out of it.
  if (!/^[\w][\w.-]*$/.test(name)) throw new NodeError('UNKNOWN_MODEL', `invalid ComfyUI workflow name "${name}"`)
  const path = join(files.dir, `${name}.json`)
  let text: string
  try {
    text = await files.readFile(path)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new NodeError('UNKNOWN_MODEL', `unknown ComfyUI workflow "${name}": no ${name}.json in ${files.dir}`)
    }
    throw new NodeError('INVALID_WORKFLOW', `cannot read ComfyUI workflow ${path}: ${(error as Error).message}`)
  }
  let graph: unknown
  try {
    graph = JSON.parse(text)
  } catch (error) {
    throw new NodeError('INVALID_WORKFLOW', `ComfyUI workflow ${path} is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof graph !== 'object' || graph === null || Array.isArray(graph)) {
    throw new NodeError('INVALID_WORKFLOW', `ComfyUI workflow ${path} is not an API-format graph`)
  }
  if (Array.isArray((graph as { nodes?: unknown }).nodes)) {
    throw new NodeError('INVALID_WORKFLOW', `ComfyUI workflow ${path} is in UI format; export it with "Export (API)"`)
  }
  return graph as ComfyGraph
}
