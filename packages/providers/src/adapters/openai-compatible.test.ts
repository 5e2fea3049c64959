import { APICallError } from 'ai'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MediaSource } from '../adapter.ts'
import { type FakeOpenAI, startFakeOpenAI } from '../testing/fake-openai.ts'
import { colorFor, createTestCall, pngBytes } from '../testing/index.ts'
import { createCompatibleAdapter, ollamaEndpoint } from './openai-compatible.ts'

let fake: FakeOpenAI
beforeEach(async () => {
  fake = await startFakeOpenAI()
})
afterEach(() => fake.close())

const vllm = createCompatibleAdapter({ id: 'vllm', title: 'vLLM', baseURL: 'http://127.0.0.1:8000/v1' })
const testCall = (apiKey: string | undefined = 'test-key') => createTestCall({ baseURL: `${fake.url}/v1`, apiKey })
const requestsTo = (path: string) => fake.requests.filter((request) => request.path === `/v1${path}`)

async function pixelColor(image: MediaSource | undefined): Promise<{ color: string; width: number; height: number }> {
  if (!image || !('bytes' in image)) throw new Error('expected image bytes')
  const { data, info } = await sharp(image.bytes).raw().toBuffer({ resolveWithObject: true })
  const color = `#${[data[0], data[1], data[2]].map((value) => (value ?? 0).toString(16).padStart(2, '0')).join('')}`
  return { color, width: info.width, height: info.height }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

describe('createCompatibleAdapter', () => {
  it('derives the adapter settings from the endpoint', () => {
    expect(vllm).toMatchObject({
      id: 'vllm',
      title: 'vLLM',
      baseUrlEnv: 'VLLM_BASE_URL',
      defaultBaseURL: 'http://127.0.0.1:8000/v1',
      defaultConcurrency: 4,
    })
    expect(vllm.credentialEnv).toBeUndefined()
    expect(createCompatibleAdapter({ id: 'lm-studio', baseURL: 'http://x/v1' }).baseUrlEnv).toBe('LM_STUDIO_BASE_URL')
    expect(createCompatibleAdapter(ollamaEndpoint)).toMatchObject({
      id: 'ollama',
      title: 'Ollama',
      baseUrlEnv: 'OLLAMA_BASE_URL',
      defaultBaseURL: 'http://127.0.0.1:11434/v1',
    })
  })
})

describe('openai-compatible chat (chat completions)', () => {
  it('streams the answer with usage, system prompt, image input and sampling settings', async () => {
    fake.setReply('Local models answer too')
    const { call, putAsset } = testCall()
    const photo = await putAsset(await pngBytes({ color: '#00ff00' }), 'image/png')
    const seen: string[] = []

    const output = await vllm.chat!(
      'qwen2.5-vl',
      {
        prompt: 'what colour is this',
        system: 'Answer in one word.',
        images: [photo],
        temperature: 0.2,
        maxTokens: 64,
        onText: (text) => seen.push(text),
      },
      call,
    )

    expect(output).toEqual({ text: 'Local models answer too', inputTokens: 8, outputTokens: 4 })
    expect(seen).toEqual(['Local ', 'Local models ', 'Local models answer ', 'Local models answer too'])

    const [request] = requestsTo('/chat/completions')
    expect(request?.headers.authorization).toBe('Bearer test-key')
    expect(request?.json).toMatchObject({
      model: 'qwen2.5-vl',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 64,
      messages: [
        { role: 'system', content: 'Answer in one word.' },
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) } },
            { type: 'text', text: 'what colour is this' },
          ],
        },
      ],
    })
  })

  it('sends no Authorization header when there is no key', async () => {
    const keyless = await startFakeOpenAI({ apiKey: null })
    try {
      const { call } = createTestCall({ baseURL: `${keyless.url}/v1`, apiKey: undefined })
      const output = await createCompatibleAdapter(ollamaEndpoint).chat!('llama3.2', { prompt: 'hi' }, call)

      expect(output.text).toBe('echo: hi')
      expect(keyless.requests[0]?.headers).not.toHaveProperty('authorization')
    } finally {
      await keyless.close()
    }
  })

  it('fails with status 401 when the server wants a different key', async () => {
    const { call } = testCall('wrong-key')
    const error = await rejection(vllm.chat!('qwen2.5', { prompt: 'hi' }, call))

    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 401, message: expect.stringContaining('Incorrect API key') })
  })

  it('surfaces a 429 with its Retry-After header', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '2' } })
    const { call } = testCall()
    const error = await rejection(vllm.chat!('qwen2.5', { prompt: 'hi' }, call))

    expect(error).toMatchObject({ statusCode: 429, responseHeaders: expect.objectContaining({ 'retry-after': '2' }) })
    expect(requestsTo('/chat/completions')).toHaveLength(1)
  })

  it('rejects promptly when aborted mid-stream', async () => {
    fake.setReply('token '.repeat(500))
    const { call, controller } = testCall()
    let abortedAt = 0
    const promise = vllm.chat!(
      'qwen2.5',
      {
        prompt: 'go on',
        onText: () => {
          if (abortedAt === 0) {
            abortedAt = performance.now()
            controller.abort()
          }
        },
      },
      call,
    )

    await expect(promise).rejects.toMatchObject({ name: 'AbortError' })
    expect(performance.now() - abortedAt).toBeLessThan(200)
  })
})

describe('openai-compatible images', () => {
  it('generates n base64 images of the requested size', async () => {
    const { call } = testCall()
    const output = await vllm.generateImage!('sdxl', { prompt: 'a lighthouse', n: 3, size: '96x64' }, call)

    expect(output.images).toHaveLength(3)
    expect(await pixelColor(output.images[2])).toEqual({ color: colorFor('a lighthouse'), width: 96, height: 64 })
    expect(requestsTo('/images/generations')[0]?.json).toEqual({
      model: 'sdxl',
      prompt: 'a lighthouse',
      n: 3,
      size: '96x64',
      response_format: 'b64_json',
    })
  })

  it('fails with status 400 and the server’s message for an empty prompt', async () => {
    const { call } = testCall()
    const error = await rejection(vllm.generateImage!('sdxl', { prompt: '' }, call))

    expect(error).toMatchObject({ statusCode: 400, message: "Missing required parameter: 'prompt'." })
  })
})
