import type { ProviderAdapter } from './adapter.ts'
import { anthropicAdapter } from './adapters/anthropic.ts'
import { comfyuiAdapter } from './adapters/comfyui.ts'
import { falAdapter } from './adapters/fal.ts'
import { googleAdapter } from './adapters/google.ts'
import { openaiAdapter } from './adapters/openai.ts'
import { createCompatibleAdapter, ollamaEndpoint } from './adapters/openai-compatible.ts'
import { replicateAdapter } from './adapters/replicate.ts'

/**
 * Every provider Patchbay ships, plus the OpenAI-compatible servers the operator names in
 * `PATCHBAY_OPENAI_COMPATIBLE` (`lmstudio=http://127.0.0.1:1234/v1,vllm=http://gpu:8000/v1`).
 * Each named endpoint is a provider of its own: `lmstudio/<model>`, with an optional key in
 * `LMSTUDIO_API_KEY` and its URL overridable by `LMSTUDIO_BASE_URL`.
 */
export function builtinAdapters(env: NodeJS.ProcessEnv = process.env): ProviderAdapter[] {
  const endpoints = [ollamaEndpoint, ...namedEndpoints(env.PATCHBAY_OPENAI_COMPATIBLE ?? '')]
  return [
    openaiAdapter,
    anthropicAdapter,
    googleAdapter,
    falAdapter,
    replicateAdapter,
    comfyuiAdapter,
    ...endpoints.map((endpoint) => ({
      ...createCompatibleAdapter({ ...endpoint, credentialEnv: `${envPrefix(endpoint.id)}_API_KEY` }),
      credentialOptional: true,
    })),
  ]
}

const reservedIds = new Set(['openai', 'anthropic', 'google', 'fal', 'replicate', 'comfyui', 'ollama'])

function namedEndpoints(text: string): Array<{ id: string; baseURL: string }> {
  const endpoints: Array<{ id: string; baseURL: string }> = []
  for (const pair of text.split(',')) {
    if (!pair.trim()) continue
    const at = pair.indexOf('=')
    const id = pair.slice(0, at).trim()
    const baseURL = pair.slice(at + 1).trim()
    if (at <= 0 || !/^[a-z0-9-]+$/.test(id) || !URL.canParse(baseURL)) {
      throw new Error(`PATCHBAY_OPENAI_COMPATIBLE: "${pair.trim()}" is not name=http(s)://host/v1 (names: a-z, 0-9, -)`)
    }
    if (reservedIds.has(id)) throw new Error(`PATCHBAY_OPENAI_COMPATIBLE: "${id}" is already a provider`)
    endpoints.push({ id, baseURL })
  }
  return endpoints
}

function envPrefix(id: string): string {
  return id.toUpperCase().replace(/-/g, '_')
}
