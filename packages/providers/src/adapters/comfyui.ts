import { readFile } from 'node:fs/promises'
import type { ProviderAdapter } from '../adapter.ts'
import { runImageJob } from './comfyui/image-job.ts'
import type { WorkflowFiles } from './comfyui/workflow-files.ts'

export interface ComfyuiAdapterOptions {
  /** Directory of `<name>.json` API-format graphs for `comfyui/workflow:<name>` models. */
  workflowsDir?: string
  readFile?: (path: string) => Promise<string>
}

/**
 * A local ComfyUI server. `comfyui/<checkpoint file>` runs a built-in SD graph (img2img when
 * given an image); `comfyui/workflow:<name>` runs a graph file with `{{…}}` placeholders.
 */
export function createComfyuiAdapter(options: ComfyuiAdapterOptions = {}): ProviderAdapter {
  const workflows: WorkflowFiles = {
    dir: options.workflowsDir,
    readFile: options.readFile ?? ((path) => readFile(path, 'utf8')),
  }
  return {
    id: 'comfyui',
    title: 'ComfyUI',
    baseUrlEnv: 'COMFYUI_URL',
    defaultBaseURL: 'http://127.0.0.1:8188',
    // One GPU runs one prompt at a time; more in flight only wait in ComfyUI's queue.
    defaultConcurrency: 1,
    generateImage: (model, request, call) =>
      runImageJob(model, { ...request, image: request.images?.[0] }, call, workflows),
    editImage: (model, request, call) => runImageJob(model, request, call, workflows),
  }
}

export const comfyuiAdapter = createComfyuiAdapter({ workflowsDir: process.env.COMFYUI_WORKFLOWS_DIR })
