import { APICallError } from 'ai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type FakeAnthropic, startFakeAnthropic } from '../testing/fake-anthropic.ts'
import { createTestCall, pngBytes } from '../testing/index.ts'
import { anthropicAdapter } from './anthropic.ts'

let fake: FakeAnthropic
beforeEach(async () => {
  fake = await startFakeAnthropic()
})
afterEach(() => fake.close())

const testCall = (apiKey = 'test-key') => createTestCall({ baseURL: `${fake.url}/v1`, apiKey })
const messageRequests = () => fake.requests.filter((request) => request.path === '/v1/messages')

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (error: unknown) => error,
  )
}

describe('anthropic chat (Messages API)', () => {
  it('streams the answer with system prompt, image input and sampling settings', async () => {
    fake.setReply('A red square on its own')
    const { call, putAsset } = testCall()
    const photo = await putAsset(await pngBytes({ color: '#ff0000' }), 'image/png')
    const seen: string[] = []

    const output = await anthropicAdapter.chat!(
      'claude-sonnet-4-5',
      {
        prompt: 'describe the image',
        system: 'You are terse.',
        images: [photo],
        temperature: 0.5,
        maxTokens: 500,
        onText: (text) => seen.push(text),
      },
      call,
    )

    expect(output).toEqual({ text: 'A red square on its own', inputTokens: 6, outputTokens: 6 })
    expect(seen).toHaveLength(6)
    for (const [i, text] of seen.entries()) {
      expect(output.text.startsWith(text)).toBe(true)
      if (i > 0) expect(text.length).toBeGreaterThan(seen[i - 1]!.length)
    }
    expect(seen.at(-1)).toBe(output.text)

    const [request] = messageRequests()
    expect(request?.headers['x-api-key']).toBe('test-key')
    expect(request?.headers['anthropic-version']).toBe('2023-06-01')
    expect(request?.json).toMatchObject({
      model: 'claude-sonnet-4-5',
      stream: true,
      max_tokens: 500,
      temperature: 0.5,
      system: [{ type: 'text', text: 'You are terse.' }],
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: expect.stringMatching(/^iVBOR/) },
            },
            { type: 'text', text: 'describe the image' },
          ],
        },
      ],
    })
  })

  it('asks for 4096 tokens when the request sets no limit', async () => {
    const { call } = testCall()
    const output = await anthropicAdapter.chat!('claude-haiku-4-5', { prompt: 'hello' }, call)

    expect(output.text).toBe('echo: hello')
    const body = messageRequests()[0]?.json as Record<string, unknown>
    expect(body.max_tokens).toBe(4096)
    expect(body).not.toHaveProperty('system')
  })

  it('fails with status 401 when the key is wrong', async () => {
    const { call } = testCall('wrong-key')
    const error = await rejection(anthropicAdapter.chat!('claude-haiku-4-5', { prompt: 'hi' }, call))

    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 401, message: 'invalid x-api-key' })
  })

  it('fails with status 400 and Anthropic’s message for a rejected request', async () => {
    fake.faults.push({
      status: 400,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long' } },
    })
    const { call } = testCall()
    const error = await rejection(anthropicAdapter.chat!('claude-haiku-4-5', { prompt: 'hi' }, call))

    expect(error).toMatchObject({ statusCode: 400, message: 'prompt is too long' })
  })

  it('surfaces a 429 with its Retry-After header and a 529 overload, without retrying', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '2' } }, { status: 529 })
    const { call } = testCall()

    const rateLimited = await rejection(anthropicAdapter.chat!('claude-haiku-4-5', { prompt: 'hi' }, call))
    expect(rateLimited).toMatchObject({ statusCode: 429, message: 'fault 429' })
    expect((rateLimited as APICallError).responseHeaders?.['retry-after']).toBe('2')

    const overloaded = await rejection(anthropicAdapter.chat!('claude-haiku-4-5', { prompt: 'hi' }, call))
    expect(overloaded).toMatchObject({ statusCode: 529, message: 'Overloaded', isRetryable: true })
    expect(messageRequests()).toHaveLength(2)
  })

  it('rejects promptly when aborted mid-stream', async () => {
    fake.setReply('more '.repeat(500))
    const { call, controller } = testCall()
    let abortedAt = 0
    const promise = anthropicAdapter.chat!(
      'claude-haiku-4-5',
      {
        prompt: 'keep going',
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
