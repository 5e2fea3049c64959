/** A ComfyUI workflow in API format: node id → node; inputs link to others as `[nodeId, outputIndex]`. */
export type ComfyGraph = Record<string, ComfyNode>

export interface ComfyNode {
  class_type: string
  inputs: Record<string, unknown>
  _meta?: { title: string }
}

export interface SamplerSettings {
  checkpoint: string
  prompt: string
  negativePrompt: string
  seed: number
  batchSize: number
}

/** The shared chain: checkpoint → prompts → KSampler → VAEDecode → SaveImage, sampling `latent`. */
function samplerGraph(settings: SamplerSettings, latent: [string, number], denoise: number): ComfyGraph {
  return {
    '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: settings.checkpoint } },
    '6': {
      class_type: 'CLIPTextEncode',
      inputs: { text: settings.prompt, clip: ['4', 1] },
      _meta: { title: 'Positive' },
    },
    '7': {
      class_type: 'CLIPTextEncode',
      inputs: { text: settings.negativePrompt, clip: ['4', 1] },
      _meta: { title: 'Negative' },
    },
    '3': {
      class_type: 'KSampler',
      inputs: {
        seed: settings.seed,
        steps: 20,
        cfg: 7,
        sampler_name: 'euler',
        scheduler: 'normal',
        denoise,
        model: ['4', 0],
        positive: ['6', 0],
        negative: ['7', 0],
        latent_image: latent,
      },
    },
    '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
    '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'patchbay', images: ['8', 0] } },
  }
}

export function textToImageGraph(settings: SamplerSettings & { width: number; height: number }): ComfyGraph {
  const { width, height, batchSize } = settings
  return {
    ...samplerGraph(settings, ['5', 0], 1),
    '5': { class_type: 'EmptyLatentImage', inputs: { width, height, batch_size: batchSize } },
  }
}

/** img2img: the uploaded image, encoded to a latent and partly re-noised. */
export function imageToImageGraph(settings: SamplerSettings & { image: string }): ComfyGraph {
  const graph: ComfyGraph = {
    '10': { class_type: 'LoadImage', inputs: { image: settings.image } },
    '11': { class_type: 'VAEEncode', inputs: { pixels: ['10', 0], vae: ['4', 2] } },
  }
  let latent: [string, number] = ['11', 0]
  if (settings.batchSize > 1) {
    graph['12'] = { class_type: 'RepeatLatentBatch', inputs: { samples: latent, amount: settings.batchSize } }
    latent = ['12', 0]
  }
  return { ...samplerGraph(settings, latent, 0.75), ...graph }
}
