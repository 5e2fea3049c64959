import { describe, expect, it } from 'vitest'
import { builtinAdapters } from './builtin-adapters.ts'
import { ProviderDirectory } from './provider-directory.ts'

describe('ProviderDirectory', () => {
  it('takes base URLs from the environment and marks keyless providers local', () => {
    const env = { OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1/', COMFYUI_URL: 'http://gpu:8188' }
    const directory = new ProviderDirectory(builtinAdapters(env), env)
    expect(directory.get('openai')).toMatchObject({ baseURL: 'http://127.0.0.1:1234/v1', local: false })
    expect(directory.get('comfyui')).toMatchObject({ baseURL: 'http://gpu:8188', local: true })
    expect(directory.get('ollama')).toMatchObject({ baseURL: 'http://127.0.0.1:11434/v1', local: true })
  })

  it('adds the OpenAI-compatible servers named in PATCHBAY_OPENAI_COMPATIBLE', () => {
    const env = {
      PATCHBAY_OPENAI_COMPATIBLE: 'lmstudio=http://127.0.0.1:1234/v1, vllm=http://10.0.0.5:8000/v1',
      VLLM_BASE_URL: 'http://10.0.0.6:8000/v1',
    }
    const directory = new ProviderDirectory(builtinAdapters(env), env)
    expect(directory.get('lmstudio')?.baseURL).toBe('http://127.0.0.1:1234/v1')
    expect(directory.get('vllm')?.baseURL).toBe('http://10.0.0.6:8000/v1')
    expect(directory.get('vllm')?.adapter.credentialEnv).toBe('VLLM_API_KEY')
  })

  it('refuses malformed endpoint lists and names that shadow a provider', () => {
    expect(() => builtinAdapters({ PATCHBAY_OPENAI_COMPATIBLE: 'LM Studio=http://x' })).toThrow(/name=http/)
    expect(() => builtinAdapters({ PATCHBAY_OPENAI_COMPATIBLE: 'local=not a url' })).toThrow(/name=http/)
    expect(() => builtinAdapters({ PATCHBAY_OPENAI_COMPATIBLE: 'openai=http://x/v1' })).toThrow(/already a provider/)
  })

  it('gives each provider a concurrency limit, overridable per provider', () => {
    const directory = new ProviderDirectory(builtinAdapters({}), {})
    const limits = directory.concurrencyLimits({ PATCHBAY_PROVIDER_CONCURRENCY: 'fal=50, openai=2' })
    expect(limits).toMatchObject({ 'provider:fal': 50, 'provider:openai': 2, 'provider:comfyui': 1 })
    expect(() => directory.concurrencyLimits({ PATCHBAY_PROVIDER_CONCURRENCY: 'fal=lots' })).toThrow(/fal=lots/)
  })
})
