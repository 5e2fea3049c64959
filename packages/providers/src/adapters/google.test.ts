import { APICallError } from 'ai'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MediaSource } from '../adapter.ts'
import { ProviderHttpError, ProviderJobError } from '../http.ts'
import { type FakeGoogle, startFakeGoogle } from '../testing/fake-google.ts'
import { colorFor, createTestCall, pngBytes } from '../testing/index.ts'
import { googleAdapter } from './google.ts'

let fake: FakeGoogle
beforeEach(async () => {
  fake = await startFakeGoogle({ operationPolls: 3 })
})
afterEach(() => fake.close())

const testCall = (apiKey = 'test-key') => createTestCall({ baseURL: `${fake.url}/v1beta`, apiKey })
const posted = (method: string) => fake.requests.find((request) => request.path.endsWith(`:${method}`))
interface Part {
  text?: string
  inlineData?: { mimeType: string; data: string }
}
interface RequestBody {
  contents: Array<{ parts: Part[] }>
  systemInstruction?: unknown
  generationConfig?: Record<string, unknown>
  instances: Array<Record<string, unknown>>
  parameters: Record<string, unknown>
}
const bodyOf = (method: string) => posted(method)?.json as RequestBody

async function pixelColor(image: MediaSource | undefined): Promise<{ color: string; width: number; height: number }> {
  if (!image || !('bytes' in image)) throw new Error('expected image bytes')
  const { data, info } = await sharp(image.bytes).raw().toBuffer({ resolveWithObject: true })
  const color = `#${[data[0], data[1], data[2]].map((value) => (value ?? 0).toString(16).padStart(2, '0')).join('')}`
  return { color, width: info.width, height: info.height }
}

describe('google chat', () => {
  it('streams Gemini text with system prompt, images and generation settings', async () => {
    const { call, putAsset } = testCall()
    const photo = await putAsset(await pngBytes({ color: '#ff0000' }), 'image/png')
    const seen: string[] = []

    const output = await googleAdapter.chat!(
      'gemini-2.5-flash',
      {
        prompt: 'describe this picture please',
        system: 'Be brief.',
        images: [photo],
        temperature: 0.3,
        maxTokens: 200,
        onText: (text) => seen.push(text),
      },
      call,
    )

    expect(output.text).toBe('You said: describe this picture please (with 1 image)')
    expect(output).toMatchObject({ inputTokens: 4, outputTokens: 9 })
    expect(seen.length).toBeGreaterThan(1)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.startsWith(seen[i - 1]!)).toBe(true)
    expect(seen.at(-1)).toBe(output.text)

    const request = posted('streamGenerateContent')!
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent')
    expect(request.query.get('alt')).toBe('sse')
    expect(request.headers['x-goog-api-key']).toBe('test-key')
    const body = request.json as RequestBody
    expect(body.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] })
    expect(body.generationConfig).toMatchObject({ temperature: 0.3, maxOutputTokens: 200 })
    expect(body.contents[0]?.parts[0]).toEqual({ text: 'describe this picture please' })
    expect(body.contents[0]?.parts[1]?.inlineData?.mimeType).toBe('image/png')
    expect(body.contents[0]?.parts[1]?.inlineData?.data.length).toBeGreaterThan(50)
  })

  it("rejects a bad key with Google's status and message", async () => {
    const { call } = testCall('wrong-key')
    const error = await googleAdapter.chat!('gemini-2.5-flash', { prompt: 'hi' }, call).catch((e: unknown) => e)

    expect(APICallError.isInstance(error)).toBe(true)
    expect(error).toMatchObject({ statusCode: 400, message: 'API key not valid. Please pass a valid API key.' })
  })

  it('passes a rate limit through with status 429', async () => {
    fake.faults.push({
      status: 429,
      body: { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted' } },
    })
    const error = await googleAdapter.chat!('gemini-2.5-flash', { prompt: 'hi' }, testCall().call).catch((e) => e)

    expect(error).toMatchObject({ statusCode: 429, message: 'Resource has been exhausted' })
  })
})

describe('google images', () => {
  it('generates Imagen images with sample count and aspect ratio', async () => {
    const output = await googleAdapter.generateImage!(
      'imagen-4.0-generate-001',
      { prompt: 'a lighthouse', n: 2, aspectRatio: '16:9' },
      testCall().call,
    )

    expect(bodyOf('predict')).toEqual({
      instances: [{ prompt: 'a lighthouse' }],
      parameters: { sampleCount: 2, aspectRatio: '16:9' },
    })
    expect(output.images).toHaveLength(2)
    expect(await pixelColor(output.images[0])).toEqual({ color: colorFor('a lighthouse'), width: 64, height: 36 })
    expect(output.images[0]?.mime).toBe('image/png')
  })

  it('maps a size to the nearest Imagen aspect ratio', async () => {
    await googleAdapter.generateImage!('imagen-4.0-generate-001', { prompt: 'tall', size: '768x1024' }, testCall().call)

    expect(bodyOf('predict').parameters).toEqual({ sampleCount: 1, aspectRatio: '3:4' })
  })

  it('generates with a Gemini image model from a reference image', async () => {
    const { call, putAsset } = testCall()
    const reference = await putAsset(await pngBytes({ color: '#00ff00' }), 'image/png')

    const output = await googleAdapter.generateImage!(
      'gemini-2.5-flash-image',
      { prompt: 'a cat in this style', images: [reference], seed: 42, aspectRatio: '4:3' },
      call,
    )

    const body = bodyOf('generateContent')
    expect(posted('generateContent')?.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent')
    expect(body.generationConfig).toMatchObject({
      responseModalities: ['TEXT', 'IMAGE'],
      seed: 42,
      imageConfig: { aspectRatio: '4:3' },
    })
    expect(body.contents[0]?.parts[0]).toEqual({ text: 'a cat in this style' })
    expect(body.contents[0]?.parts[1]?.inlineData?.mimeType).toBe('image/png')
    expect(output.images).toHaveLength(1)
    expect((await pixelColor(output.images[0])).color).toBe(colorFor('a cat in this style'))
  })

  it('edits with a Gemini image model, sending the mask as a second image', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes(), 'image/png')
    const mask = await putAsset(await pngBytes({ color: '#000000' }), 'image/png')

    const output = await googleAdapter.editImage!('gemini-2.5-flash-image', { prompt: 'add a hat', image, mask }, call)

    const parts = bodyOf('generateContent').contents[0]?.parts ?? []
    expect(parts.map((part) => Object.keys(part)[0])).toEqual(['text', 'inlineData', 'text', 'inlineData'])
    expect(parts[2]?.text).toMatch(/mask/)
    expect((await pixelColor(output.images[0])).color).toBe(colorFor('add a hat'))
  })

  it('refuses to edit with Imagen', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes(), 'image/png')

    const error = await googleAdapter.editImage!('imagen-4.0-generate-001', { prompt: 'x', image }, call).catch(
      (e) => e,
    )

    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/use a gemini image model/) })
    expect(fake.requests).toHaveLength(0)
  })

  it('reports a text-only answer from a Gemini image model as a job error', async () => {
    const error = await googleAdapter.generateImage!('gemini-2.5-flash-image', { prompt: 'REFUSE' }, testCall().call)
      .then(() => undefined)
      .catch((e) => e)

    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toMatch(/I cannot make that image/)
  })
})

describe('google video', () => {
  it('starts a Veo operation, polls it with progress and returns the keyed file URI', async () => {
    const { call, putAsset, progress } = testCall()
    const first = await putAsset(await pngBytes({ color: '#111111' }), 'image/png')
    const last = await putAsset(await pngBytes({ color: '#222222' }), 'image/png')

    const output = await googleAdapter.generateVideo!(
      'veo-3.0-generate-001',
      {
        prompt: 'waves at dusk',
        negativePrompt: 'people',
        image: first,
        lastFrame: last,
        durationSeconds: 8,
        aspectRatio: '16:9',
        resolution: '1920x1080',
        seed: 7,
      },
      call,
    )

    const body = bodyOf('predictLongRunning')
    expect(posted('predictLongRunning')?.path).toBe('/v1beta/models/veo-3.0-generate-001:predictLongRunning')
    expect(body.instances[0]).toMatchObject({
      prompt: 'waves at dusk',
      image: { mimeType: 'image/png', bytesBase64Encoded: expect.any(String) },
      lastFrame: { mimeType: 'image/png', bytesBase64Encoded: expect.any(String) },
    })
    expect(body.parameters).toEqual({
      aspectRatio: '16:9',
      durationSeconds: 8,
      resolution: '1080p',
      negativePrompt: 'people',
      seed: 7,
    })
    const polls = fake.requests.filter((request) => request.path.includes('/operations/'))
    expect(polls.map((request) => request.path)).toEqual(
      Array(3).fill('/v1beta/models/veo-3.0-generate-001/operations/op1'),
    )
    expect(progress.length).toBe(4)
    for (const entry of progress) {
      expect(entry).toMatchObject({ fraction: null, message: expect.stringMatching(/^generating \(\d+s\)$/) })
    }

    expect(output.video).toEqual({
      url: `${fake.url}/v1beta/files/op1:download?alt=media`,
      headers: { 'x-goog-api-key': 'test-key' },
      mime: 'video/mp4',
    })
    const video = output.video as { url: string; headers: Record<string, string> }
    const download = await fetch(video.url, { headers: video.headers })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('video/mp4')
  })

  it('turns an operation error into a job error', async () => {
    const error = await googleAdapter.generateVideo!('veo-3.0-generate-001', { prompt: 'FAIL' }, testCall().call).catch(
      (e) => e,
    )

    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toMatch(/could not render FAIL/)
  })

  it('stops polling when aborted', async () => {
    const slow = await startFakeGoogle({ operationPolls: 10_000 })
    try {
      const { call, controller, progress } = createTestCall({ baseURL: `${slow.url}/v1beta`, apiKey: 'test-key' })
      const running = googleAdapter.generateVideo!('veo-3.0-generate-001', { prompt: 'forever' }, call)
      await expect.poll(() => progress.length).toBeGreaterThan(1)
      const started = Date.now()
      controller.abort(new Error('stop'))

      await expect(running).rejects.toThrow('stop')
      expect(Date.now() - started).toBeLessThan(500)
    } finally {
      await slow.close()
    }
  })
})
