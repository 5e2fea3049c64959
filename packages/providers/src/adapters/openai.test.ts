import { APICallError } from 'ai'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MediaSource } from '../adapter.ts'
import { type FakeOpenAI, readFormData, startFakeOpenAI } from '../testing/fake-openai.ts'
import { colorFor, createTestCall, pngBytes, wavBytes } from '../testing/index.ts'
import { openaiAdapter } from './openai.ts'

let fake: FakeOpenAI
beforeEach(async () => {
  fake = await startFakeOpenAI()
})
afterEach(() => fake.close())

const testCall = (apiKey = 'test-key') => createTestCall({ baseURL: `${fake.url}/v1`, apiKey })
const requestsTo = (path: string) => fake.requests.filter((request) => request.path === `/v1${path}`)

function bytesOf(source: MediaSource | undefined): Uint8Array {
  if (!source || !('bytes' in source)) throw new Error('expected media bytes')
  return source.bytes
}

async function pixelColor(image: MediaSource | undefined): Promise<{ color: string; width: number; height: number }> {
  const { data, info } = await sharp(bytesOf(image)).raw().toBuffer({ resolveWithObject: true })
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

describe('openai chat (Responses API)', () => {
  it('streams the answer with system prompt, image input and sampling settings', async () => {
    fake.setReply('The quick brown fox jumps over the lazy dog')
    const { call, putAsset } = testCall()
    const photo = await putAsset(await pngBytes({ color: '#ff0000' }), 'image/png')
    const seen: string[] = []

    const output = await openaiAdapter.chat!(
      'gpt-4.1-mini',
      {
        prompt: 'what is in the picture',
        system: 'Be brief.',
        images: [photo],
        temperature: 0.4,
        maxTokens: 300,
        onText: (text) => seen.push(text),
      },
      call,
    )

    expect(output).toEqual({ text: 'The quick brown fox jumps over the lazy dog', inputTokens: 7, outputTokens: 9 })
    expect(seen.length).toBeGreaterThan(3)
    for (const [i, text] of seen.entries()) {
      expect(output.text.startsWith(text)).toBe(true)
      if (i > 0) expect(text.length).toBeGreaterThan(seen[i - 1]!.length)
    }
    expect(seen.at(-1)).toBe(output.text)

    const [request] = requestsTo('/responses')
    expect(request?.headers.authorization).toBe('Bearer test-key')
    expect(request?.json).toMatchObject({
      model: 'gpt-4.1-mini',
      stream: true,
      temperature: 0.4,
      max_output_tokens: 300,
      input: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) },
            { type: 'input_text', text: 'what is in the picture' },
          ],
        },
      ],
    })
  })

  it('sends a text-only prompt without a system message', async () => {
    const { call } = testCall()
    const output = await openaiAdapter.chat!('gpt-4.1-mini', { prompt: 'hello there' }, call)

    expect(output.text).toBe('echo: hello there')
    const body = requestsTo('/responses')[0]?.json as { input: unknown[]; temperature?: number }
    expect(body.input).toEqual([{ role: 'user', content: [{ type: 'input_text', text: 'hello there' }] }])
    expect(body).not.toHaveProperty('temperature')
  })

  it('fails with status 401 when the key is wrong', async () => {
    const { call } = testCall('wrong-key')
    const error = await rejection(openaiAdapter.chat!('gpt-4.1-mini', { prompt: 'hi' }, call))

    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 401, message: expect.stringContaining('Incorrect API key') })
  })

  it('surfaces a 429 with its Retry-After header and does not retry on its own', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '2' } })
    const { call } = testCall()
    const error = await rejection(openaiAdapter.chat!('gpt-4.1-mini', { prompt: 'hi' }, call))

    expect(error).toMatchObject({ statusCode: 429, message: 'Rate limit reached for requests' })
    expect((error as APICallError).responseHeaders?.['retry-after']).toBe('2')
    expect(requestsTo('/responses')).toHaveLength(1)
  })

  it('rejects promptly when aborted mid-stream', async () => {
    fake.setReply('word '.repeat(500))
    const { call, controller } = testCall()
    let abortedAt = 0
    const promise = openaiAdapter.chat!(
      'gpt-4.1-mini',
      {
        prompt: 'talk for a long time',
        onText: () => {
          if (abortedAt === 0) {
            abortedAt = performance.now()
            controller.abort()
          }
        },
      },
      call,
    )

    const error = await rejection(promise)
    expect(error).toMatchObject({ name: 'AbortError' })
    expect(performance.now() - abortedAt).toBeLessThan(200)
  })

  it('rejects promptly when aborted while the provider hangs', async () => {
    fake.faults.push({ status: 200, delayMs: Number.POSITIVE_INFINITY })
    const { call, controller } = testCall()
    setTimeout(() => controller.abort(), 50)
    const started = performance.now()

    await expect(openaiAdapter.chat!('gpt-4.1-mini', { prompt: 'hi' }, call)).rejects.toMatchObject({
      name: 'AbortError',
    })
    expect(performance.now() - started).toBeLessThan(300)
  })
})

describe('openai images', () => {
  it('generates n images of the requested size', async () => {
    const { call } = testCall()
    const output = await openaiAdapter.generateImage!(
      'gpt-image-1',
      { prompt: 'a red kite', n: 2, size: '128x96', seed: 42 },
      call,
    )

    expect(output.images).toHaveLength(2)
    for (const image of output.images) {
      expect(image.mime).toBe('image/png')
      expect(await pixelColor(image)).toEqual({ color: colorFor('a red kite'), width: 128, height: 96 })
    }
    const requests = requestsTo('/images/generations')
    expect(requests).toHaveLength(1)
    expect(requests[0]?.json).toEqual({ model: 'gpt-image-1', prompt: 'a red kite', n: 2, size: '128x96' })
  })

  it('turns an aspect ratio into the closest size the model offers', async () => {
    const { call } = testCall()
    await openaiAdapter.generateImage!('gpt-image-1', { prompt: 'wide', aspectRatio: '16:9' }, call)
    await openaiAdapter.generateImage!('dall-e-3', { prompt: 'tall', aspectRatio: '9:16' }, call)

    const [gptImage, dallE] = requestsTo('/images/generations').map((request) => request.json)
    expect(gptImage).toMatchObject({ size: '1536x1024' })
    expect(dallE).toMatchObject({ size: '1024x1792', response_format: 'b64_json' })
  })

  it('sends reference images to the edits endpoint', async () => {
    const { call, putAsset } = testCall()
    const reference = await putAsset(await pngBytes({ width: 32, height: 48, color: '#00ff00' }), 'image/png')
    const output = await openaiAdapter.generateImage!(
      'gpt-image-1',
      { prompt: 'in this style', images: [reference] },
      call,
    )

    expect(await pixelColor(output.images[0])).toEqual({ color: colorFor('in this style'), width: 32, height: 48 })
    const [request] = requestsTo('/images/edits')
    const form = await readFormData(request!)
    expect(form.get('prompt')).toBe('in this style')
    expect((form.get('image') as File).type).toBe('image/png')
  })

  it('edits an image with a mask over multipart', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes({ width: 40, height: 30 }), 'image/png')
    const mask = await putAsset(await pngBytes({ width: 40, height: 30, color: '#000000' }), 'image/png')
    const output = await openaiAdapter.editImage!('gpt-image-1', { prompt: 'add a hat', image, mask }, call)

    expect(await pixelColor(output.images[0])).toEqual({ color: colorFor('add a hat'), width: 40, height: 30 })
    const [request] = requestsTo('/images/edits')
    expect(request?.headers.authorization).toBe('Bearer test-key')
    const form = await readFormData(request!)
    expect(form.get('model')).toBe('gpt-image-1')
    expect(form.get('image')).toBeInstanceOf(File)
    expect(form.get('mask')).toBeInstanceOf(File)
  })

  it('fails with status 400 and OpenAI’s message for an empty prompt', async () => {
    const { call } = testCall()
    const error = await rejection(openaiAdapter.generateImage!('gpt-image-1', { prompt: '' }, call))

    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 400, message: "Missing required parameter: 'prompt'." })
  })

  it('does not retry a server error itself', async () => {
    fake.faults.push({ status: 500 })
    const { call } = testCall()
    const error = await rejection(openaiAdapter.generateImage!('dall-e-3', { prompt: 'x' }, call))

    expect(error).toMatchObject({ statusCode: 500 })
    expect(requestsTo('/images/generations')).toHaveLength(1)
  })
})

describe('openai audio', () => {
  it('speaks text with the default voice', async () => {
    const { call } = testCall()
    const output = await openaiAdapter.speak!('gpt-4o-mini-tts', { text: 'Hello world' }, call)

    const bytes = bytesOf(output.audio)
    expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('RIFF')
    // The fake answers every format with WAV bytes; the SDK names what the bytes are.
    expect(output.audio.mime).toBe('audio/wav')
    expect(requestsTo('/audio/speech')[0]?.json).toEqual({
      model: 'gpt-4o-mini-tts',
      input: 'Hello world',
      voice: 'alloy',
      response_format: 'mp3',
    })
  })

  it('transcribes audio with a language hint and reports the duration', async () => {
    const { call, putAsset } = testCall()
    const audio = await putAsset(wavBytes(1), 'audio/wav')
    const output = await openaiAdapter.transcribe!('whisper-1', { audio, language: 'en' }, call)

    expect(output).toEqual({ text: `transcribed ${audio.bytes} bytes`, durationSeconds: 1 })
    const form = await readFormData(requestsTo('/audio/transcriptions')[0]!)
    expect(form.get('model')).toBe('whisper-1')
    expect(form.get('language')).toBe('en')
    expect(form.get('response_format')).toBe('verbose_json')
    expect((form.get('file') as File).size).toBe(audio.bytes)
  })
})
