import type { RunEvent } from '@patchbay/core'
import { builtinNodes } from '@patchbay/nodes'
import { Gateway, type GatewayOptions } from '@patchbay/providers'
import {
  type FakeAnthropic,
  type FakeComfyUI,
  type FakeFal,
  type FakeGoogle,
  type FakeOpenAI,
  type FakeReplicate,
  startFakeAnthropic,
  startFakeComfyUI,
  startFakeFal,
  startFakeGoogle,
  startFakeOpenAI,
  startFakeReplicate,
} from '@patchbay/providers/testing'
import { createTestEngine, type TestEngine } from '@patchbay/runtime/testing'

/** One loopback server per provider, speaking its protocol. */
export interface Fakes {
  openai: FakeOpenAI
  /** An OpenAI-compatible server without a key, standing in for Ollama. */
  ollama: FakeOpenAI
  anthropic: FakeAnthropic
  google: FakeGoogle
  fal: FakeFal
  replicate: FakeReplicate
  comfyui: FakeComfyUI
  env: NodeJS.ProcessEnv
  close(): Promise<void>
}

export async function startFakes(options: { latencyMs?: number } = {}): Promise<Fakes> {
  const latency = options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }
  const [openai, ollama, anthropic, google, fal, replicate, comfyui] = await Promise.all([
    startFakeOpenAI(latency),
    startFakeOpenAI({ ...latency, apiKey: null }),
    startFakeAnthropic(latency),
    startFakeGoogle(latency),
    startFakeFal(latency),
    startFakeReplicate(latency),
    startFakeComfyUI(latency),
  ])
  const env: NodeJS.ProcessEnv = {
    OPENAI_BASE_URL: `${openai.url}/v1`,
    OPENAI_API_KEY: 'test-key',
    OLLAMA_BASE_URL: `${ollama.url}/v1`,
    ANTHROPIC_BASE_URL: `${anthropic.url}/v1`,
    ANTHROPIC_API_KEY: 'test-key',
    GOOGLE_BASE_URL: `${google.url}/v1beta`,
    GOOGLE_GENERATIVE_AI_API_KEY: 'test-key',
    FAL_BASE_URL: fal.url,
    FAL_KEY: 'test-key',
    REPLICATE_BASE_URL: `${replicate.url}/v1`,
    REPLICATE_API_TOKEN: 'test-key',
    COMFYUI_URL: comfyui.url,
  }
  return {
    openai,
    ollama,
    anthropic,
    google,
    fal,
    replicate,
    comfyui,
    env,
    close: async () => {
      await Promise.all([openai, ollama, anthropic, google, fal, replicate, comfyui].map((fake) => fake.close()))
    },
  }
}

/** The real engine and nodes on memory stores, calling models through a real gateway. */
export function engineWithGateway(
  env: NodeJS.ProcessEnv,
  options: Omit<GatewayOptions, 'env'> & { resourceLimits?: Record<string, number> } = {},
): TestEngine & { gateway: Gateway } {
  const { resourceLimits, ...gatewayOptions } = options
  const gateway = new Gateway({ env, pollIntervalMs: 10, ...gatewayOptions })
  const engine = createTestEngine({
    nodes: builtinNodes,
    models: gateway,
    resourceLimits: { ...gateway.providers.concurrencyLimits(env), ...resourceLimits },
  })
  return Object.assign(engine, { gateway })
}

/** A workflow of one model node (params as given) fed by text inputs, with its outputs named. */
export function singleNode(
  type: string,
  params: Record<string, unknown>,
  texts: Record<string, string>,
  outputs: string[],
  extra: Record<string, unknown> = {},
) {
  const nodes: unknown[] = [{ id: 'model', type, params, ...extra }]
  const edges: unknown[] = []
  for (const [handle, text] of Object.entries(texts)) {
    nodes.push({ id: `in-${handle}`, type: 'input.text', params: { value: text } })
    edges.push({
      id: `e-${handle}`,
      source: `in-${handle}`,
      sourceHandle: 'text',
      target: 'model',
      targetHandle: handle,
    })
  }
  for (const output of outputs) {
    nodes.push({ id: `out-${output}`, type: 'output', params: { name: output } })
    edges.push({
      id: `o-${output}`,
      source: 'model',
      sourceHandle: output,
      target: `out-${output}`,
      targetHandle: 'value',
    })
  }
  return { schemaVersion: 1, name: `${type} test`, nodes, edges }
}

export function eventsOf<T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type)
}
