import { randomInt } from 'node:crypto'
import type { AssetRef } from '@patchbay/core'
import type { ImageOutput, ProviderCall } from '../../adapter.ts'
import { submitPrompt, uploadImage } from './api.ts'
import { dimensionsFor } from './dimensions.ts'
import { type ComfyGraph, imageToImageGraph, textToImageGraph } from './graph.ts'
import { outputImages } from './outputs.ts'
import { fillPlaceholders, placeholdersIn } from './placeholders.ts'
import { waitForResult } from './wait-for-result.ts'
import { loadWorkflow, type WorkflowFiles } from './workflow-files.ts'

/** What generateImage and editImage both ask of ComfyUI. */
export interface ImageJob {
  prompt: string
  negativePrompt?: string
  seed?: number
  n?: number
  size?: string
  aspectRatio?: string
  /** Start from this image (img2img) instead of noise. */
  image?: AssetRef
  mask?: AssetRef
}

const workflowPrefix = 'workflow:'

/**
 * Runs one image job: `<checkpoint>` with the built-in graph, or `workflow:<name>` with a
 * graph file. Returns the seed when the graph used it.
 */
export async function runImageJob(
  model: string,
  job: ImageJob,
  call: ProviderCall,
  workflows: WorkflowFiles,
): Promise<ImageOutput> {
  const seed = job.seed ?? randomInt(0, 2 ** 32)
  const { graph, usesSeed } = model.startsWith(workflowPrefix)
    ? await workflowGraph(model.slice(workflowPrefix.length), job, seed, call, workflows)
    : { graph: await builtInGraph(model, job, seed, call), usesSeed: true }
  const promptId = await submitPrompt(call, graph)
  const entry = await waitForResult(call, promptId)
  return { images: outputImages(call.baseURL, entry), ...(usesSeed ? { seed } : {}) }
}

async function builtInGraph(checkpoint: string, job: ImageJob, seed: number, call: ProviderCall): Promise<ComfyGraph> {
  if (job.mask) call.log.warn('the built-in ComfyUI graph ignores the mask; use a workflow with {{mask}}')
  const settings = {
    checkpoint,
    prompt: job.prompt,
    negativePrompt: job.negativePrompt ?? '',
    seed,
    batchSize: job.n ?? 1,
  }
  if (job.image) return imageToImageGraph({ ...settings, image: await uploadImage(call, job.image) })
  return textToImageGraph({ ...settings, ...dimensionsFor(job) })
}

async function workflowGraph(
  name: string,
  job: ImageJob,
  seed: number,
  call: ProviderCall,
  workflows: WorkflowFiles,
): Promise<{ graph: ComfyGraph; usesSeed: boolean }> {
  const template = await loadWorkflow(name, workflows)
  const used = placeholdersIn(template)
  if (job.image && !used.has('image')) call.log.warn(`workflow ${name} has no {{image}}; the input image is ignored`)
  const upload = async (ref: AssetRef | undefined, placeholder: string) =>
    ref && used.has(placeholder) ? await uploadImage(call, ref) : undefined
  const graph = fillPlaceholders(
    template,
    {
      prompt: job.prompt,
      negativePrompt: job.negativePrompt ?? '',
      seed,
      ...dimensionsFor(job),
      batchSize: job.n ?? 1,
      image: await upload(job.image, 'image'),
      mask: await upload(job.mask, 'mask'),
    },
    name,
  )
  return { graph, usesSeed: used.has('seed') }
}
