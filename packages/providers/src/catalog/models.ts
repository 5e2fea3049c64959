import type { ModelEntryInput } from './schema.ts'

/*
 * The built-in model catalog. Prices are the providers' published list prices in US
 * dollars (standard tier) when this list was written; they are estimates for budgeting,
 * not invoices. Models not listed here still run (new releases, the long tail of fal and
 * Replicate, local endpoints); their cost is reported as unknown.
 */

const gptImageSizes = ['1024x1024', '1536x1024', '1024x1536']
const imagenRatios = ['1:1', '3:4', '4:3', '9:16', '16:9']
const fluxRatios = ['1:1', '4:3', '3:4', '16:9', '9:16']
const openaiVoices = ['alloy', 'ash', 'ballad', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer', 'verse']

function chat(
  id: string,
  title: string,
  perInputKTokens: number,
  perOutputKTokens: number,
  maxOutputTokens: number,
  temperatureMax = 2,
): ModelEntryInput {
  return {
    id,
    title,
    capabilities: ['chat'],
    params: { vision: true, maxOutputTokens, temperature: { min: 0, max: temperatureMax } },
    price: { perInputKTokens, perOutputKTokens },
  }
}

function veo(id: string, title: string, perSecond: number): ModelEntryInput {
  return {
    id,
    title,
    capabilities: ['video.generate'],
    params: {
      durations: [4, 6, 8],
      defaultDuration: 8,
      aspectRatios: ['16:9', '9:16'],
      resolutions: ['720p', '1080p'],
      firstFrame: true,
      lastFrame: true,
      seed: true,
    },
    price: { perSecond },
  }
}

export const builtinModels: ModelEntryInput[] = [
  // Text
  chat('openai/gpt-5', 'GPT-5', 0.00125, 0.01, 128_000),
  chat('openai/gpt-5-mini', 'GPT-5 mini', 0.00025, 0.002, 128_000),
  chat('openai/gpt-4.1', 'GPT-4.1', 0.002, 0.008, 32_768),
  chat('openai/gpt-4.1-mini', 'GPT-4.1 mini', 0.0004, 0.0016, 32_768),
  chat('openai/gpt-4o-mini', 'GPT-4o mini', 0.00015, 0.0006, 16_384),
  chat('anthropic/claude-opus-4-1', 'Claude Opus 4.1', 0.015, 0.075, 32_000, 1),
  chat('anthropic/claude-sonnet-4-5', 'Claude Sonnet 4.5', 0.003, 0.015, 64_000, 1),
  chat('anthropic/claude-haiku-4-5', 'Claude Haiku 4.5', 0.001, 0.005, 64_000, 1),
  chat('google/gemini-2.5-pro', 'Gemini 2.5 Pro', 0.00125, 0.01, 65_536),
  chat('google/gemini-2.5-flash', 'Gemini 2.5 Flash', 0.0003, 0.0025, 65_536),
  chat('google/gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite', 0.0001, 0.0004, 65_536),

  // Images
  {
    id: 'openai/gpt-image-1',
    title: 'GPT Image 1',
    capabilities: ['image.generate', 'image.edit'],
    params: { sizes: gptImageSizes, aspectRatios: ['1:1', '3:2', '2:3'], maxImages: 10, seed: false },
    price: { perImage: 0.042 },
    description: 'Medium quality; high quality costs about four times as much.',
  },
  {
    id: 'openai/dall-e-3',
    title: 'DALL·E 3',
    capabilities: ['image.generate'],
    params: { sizes: ['1024x1024', '1792x1024', '1024x1792'], maxImages: 1, seed: false },
    price: { perImage: 0.04 },
  },
  {
    id: 'google/imagen-4.0-generate-001',
    title: 'Imagen 4',
    capabilities: ['image.generate'],
    params: { aspectRatios: imagenRatios, maxImages: 4, seed: true },
    price: { perImage: 0.04 },
  },
  {
    id: 'google/imagen-4.0-fast-generate-001',
    title: 'Imagen 4 Fast',
    capabilities: ['image.generate'],
    params: { aspectRatios: imagenRatios, maxImages: 4, seed: true },
    price: { perImage: 0.02 },
  },
  {
    id: 'google/gemini-2.5-flash-image',
    title: 'Gemini 2.5 Flash Image',
    capabilities: ['image.generate', 'image.edit'],
    params: { aspectRatios: ['1:1', '2:3', '3:2', '3:4', '4:3', '9:16', '16:9', '21:9'], maxImages: 1, seed: false },
    price: { perImage: 0.039 },
  },
  {
    id: 'fal/fal-ai/flux/schnell',
    title: 'FLUX.1 [schnell] (fal)',
    capabilities: ['image.generate'],
    params: { aspectRatios: fluxRatios, maxImages: 4, seed: true },
    price: { perImage: 0.003 },
  },
  {
    id: 'fal/fal-ai/flux/dev',
    title: 'FLUX.1 [dev] (fal)',
    capabilities: ['image.generate'],
    params: { aspectRatios: fluxRatios, maxImages: 4, seed: true },
    price: { perImage: 0.025 },
  },
  {
    id: 'fal/fal-ai/flux-pro/kontext',
    title: 'FLUX.1 Kontext [pro] (fal)',
    capabilities: ['image.generate', 'image.edit'],
    params: { aspectRatios: fluxRatios, maxImages: 4, seed: true },
    price: { perImage: 0.04 },
  },
  {
    id: 'replicate/black-forest-labs/flux-schnell',
    title: 'FLUX.1 [schnell] (Replicate)',
    capabilities: ['image.generate'],
    params: { aspectRatios: fluxRatios, maxImages: 4, seed: true },
    price: { perImage: 0.003 },
  },
  {
    id: 'replicate/black-forest-labs/flux-1.1-pro',
    title: 'FLUX1.1 [pro] (Replicate)',
    capabilities: ['image.generate'],
    params: { aspectRatios: fluxRatios, maxImages: 1, seed: true },
    price: { perImage: 0.04 },
  },

  // Video
  veo('google/veo-3.1-generate-preview', 'Veo 3.1', 0.4),
  veo('google/veo-3.1-fast-generate-preview', 'Veo 3.1 Fast', 0.15),
  {
    id: 'fal/fal-ai/kling-video/v2.1/master/text-to-video',
    title: 'Kling 2.1 Master (fal)',
    capabilities: ['video.generate'],
    params: { durations: [5, 10], defaultDuration: 5, aspectRatios: ['16:9', '9:16', '1:1'], seed: false },
    price: { perSecond: 0.28 },
  },
  {
    id: 'fal/fal-ai/minimax/hailuo-02/standard/image-to-video',
    title: 'Hailuo 02 Standard (fal)',
    capabilities: ['video.generate'],
    params: { durations: [6, 10], defaultDuration: 6, resolutions: ['512P', '768P'], firstFrame: true, seed: false },
    price: { perSecond: 0.045 },
  },
  {
    id: 'replicate/minimax/video-01',
    title: 'MiniMax Video-01 (Replicate)',
    capabilities: ['video.generate'],
    params: { durations: [6], defaultDuration: 6, firstFrame: true, seed: false },
    price: { perSecond: 0.083 },
  },

  // Speech and transcription
  {
    id: 'openai/gpt-4o-mini-tts',
    title: 'GPT-4o mini TTS',
    capabilities: ['audio.speech'],
    params: { voices: openaiVoices },
    price: { perKCharacters: 0.015 },
  },
  {
    id: 'openai/tts-1',
    title: 'TTS-1',
    capabilities: ['audio.speech'],
    params: { voices: openaiVoices.filter((voice) => !['ballad', 'verse'].includes(voice)) },
    price: { perKCharacters: 0.015 },
  },
  {
    id: 'openai/whisper-1',
    title: 'Whisper',
    capabilities: ['audio.transcribe'],
    price: { perMinute: 0.006 },
  },
  {
    id: 'openai/gpt-4o-transcribe',
    title: 'GPT-4o Transcribe',
    capabilities: ['audio.transcribe'],
    price: { perMinute: 0.006 },
  },
  {
    id: 'openai/gpt-4o-mini-transcribe',
    title: 'GPT-4o mini Transcribe',
    capabilities: ['audio.transcribe'],
    price: { perMinute: 0.003 },
  },
]
