import type { ProviderAdapter } from '../adapter.ts'
import { ProviderHttpError } from '../http.ts'
import { googleChat } from './google/chat.ts'
import { editGeminiImage, generateGeminiImages } from './google/gemini-image.ts'
import { generateImagenImages } from './google/imagen.ts'
import { generateVeoVideo } from './google/veo.ts'

/** Same test the AI SDK uses to tell Gemini image models from Imagen. */
const isGeminiModel = (model: string) => model.startsWith('gemini-')

/** Gemini chat and images, Imagen, and Veo video through the Gemini API. */
export const googleAdapter: ProviderAdapter = {
  id: 'google',
  title: 'Google',
  credentialEnv: 'GOOGLE_GENERATIVE_AI_API_KEY',
  baseUrlEnv: 'GOOGLE_BASE_URL',
  defaultBaseURL: 'https://generativelanguage.googleapis.com/v1beta',
  defaultConcurrency: 8,
  chat: googleChat,
  generateImage: (model, request, call) =>
    isGeminiModel(model) ? generateGeminiImages(model, request, call) : generateImagenImages(model, request, call),
  editImage: async (model, request, call) => {
    // Imagen editing exists only on Vertex AI.
    if (!isGeminiModel(model)) {
      throw new ProviderHttpError(400, `model ${model} cannot edit images; use a gemini image model`)
    }
    return editGeminiImage(model, request, call)
  },
  generateVideo: generateVeoVideo,
}
