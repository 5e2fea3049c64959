import { builtinRegistry } from '@patchbay/nodes'
import { checkModels, estimateCost, Gateway } from '@patchbay/providers'
import { describe, expect, it } from 'vitest'

const keys = {
  OPENAI_API_KEY: 'k',
  FAL_KEY: 'k',
  GOOGLE_GENERATIVE_AI_API_KEY: 'k',
  ANTHROPIC_API_KEY: 'k',
  REPLICATE_API_TOKEN: 'k',
}

function workflow(nodes: Array<{ id: string; type: string; params: Record<string, unknown> }>) {
  return { schemaVersion: 1 as const, name: 'models', inputs: {}, nodes, edges: [] }
}

const check = (nodes: Parameters<typeof workflow>[0], env: NodeJS.ProcessEnv = keys, only?: Set<string>) =>
  checkModels({
    workflow: workflow(nodes),
    registry: builtinRegistry,
    gateway: new Gateway({ env }),
    orgId: 'org',
    ...(only ? { only } : {}),
  })

describe('checking model calls before a run', () => {
  it('names each missing credential once, however many nodes need it', async () => {
    const issues = await check(
      [
        { id: 'a', type: 'image.generate', params: { model: 'openai/gpt-image-1' } },
        { id: 'b', type: 'llm.chat', params: { model: 'openai/gpt-4.1-mini' } },
        { id: 'c', type: 'video.generate', params: { model: 'fal/fal-ai/kling-video/v2.1/master/text-to-video' } },
        { id: 'd', type: 'llm.chat', params: { model: 'ollama/llama3.2' } },
      ],
      {},
    )
    expect(issues.map((issue) => [issue.code, issue.nodeId, issue.details?.variable])).toEqual([
      ['MISSING_CREDENTIAL', 'a', 'OPENAI_API_KEY'],
      ['MISSING_CREDENTIAL', 'c', 'FAL_KEY'],
    ])
    expect(issues[0]?.message).toContain('set OPENAI_API_KEY')
    expect(issues[0]?.path).toEqual(['nodes', 0, 'params', 'model'])
  })

  it('refuses unknown providers, listing the known ones', async () => {
    const [issue] = await check([{ id: 'a', type: 'llm.chat', params: { model: 'mistral/large' } }])
    expect(issue?.code).toBe('UNKNOWN_PROVIDER')
    expect(issue?.message).toContain('openai')
  })

  it('checks params against the ranges the catalog lists for the model', async () => {
    const issues = await check([
      { id: 'a', type: 'image.generate', params: { model: 'google/imagen-4.0-generate-001', aspectRatio: '5:4' } },
      { id: 'b', type: 'image.generate', params: { model: 'google/imagen-4.0-generate-001', n: 6 } },
      { id: 'c', type: 'video.generate', params: { model: 'google/veo-3.1-generate-preview', durationSeconds: 5 } },
      { id: 'd', type: 'image.edit', params: { model: 'openai/dall-e-3' } },
      { id: 'e', type: 'llm.chat', params: { model: 'anthropic/claude-haiku-4-5', temperature: 1.5 } },
      { id: 'ok', type: 'image.generate', params: { model: 'fal/fal-ai/some-new-model', aspectRatio: '5:4' } },
    ])
    expect(issues.map((issue) => [issue.nodeId, issue.code, issue.field])).toEqual([
      ['a', 'INVALID_MODEL_PARAM', 'aspectRatio'],
      ['b', 'INVALID_MODEL_PARAM', 'n'],
      ['c', 'INVALID_MODEL_PARAM', 'durationSeconds'],
      ['d', 'INVALID_MODEL_PARAM', 'model'],
      ['e', 'INVALID_MODEL_PARAM', 'temperature'],
    ])
    expect(issues[2]?.message).toContain('4, 6, 8')
  })

  it('checks only the nodes a partial run executes', async () => {
    const nodes = [
      { id: 'a', type: 'image.generate', params: { model: 'openai/gpt-image-1' } },
      { id: 'b', type: 'llm.chat', params: { model: 'anthropic/claude-haiku-4-5' } },
    ]
    const issues = await check(nodes, { ANTHROPIC_API_KEY: 'k' }, new Set(['b']))
    expect(issues).toEqual([])
  })
})

describe('estimating what a workflow costs', () => {
  it('prices images, video seconds and chat tokens, and says what it cannot price', () => {
    const estimate = estimateCost({
      workflow: workflow([
        { id: 'img', type: 'image.generate', params: { model: 'openai/gpt-image-1', n: 3 } },
        { id: 'vid', type: 'video.generate', params: { model: 'google/veo-3.1-generate-preview' } },
        { id: 'llm', type: 'llm.chat', params: { model: 'openai/gpt-4.1-mini', maxTokens: 500 } },
        { id: 'tts', type: 'audio.speech', params: { model: 'openai/tts-1' } },
        { id: 'local', type: 'llm.chat', params: { model: 'ollama/llama3.2' } },
      ]),
      registry: builtinRegistry,
      gateway: new Gateway({ env: {} }),
    })
    const byNode = Object.fromEntries(estimate.calls.map((call) => [call.nodeId, call.cost]))
    expect(byNode).toEqual({ img: 0.126, vid: 3.2, llm: 0.001, tts: null, local: 0 })
    expect(estimate.total).toBeCloseTo(3.327, 6)
    expect(estimate.incomplete).toBe(true)
  })
})
