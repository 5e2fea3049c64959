import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProviderHttpError, ProviderJobError } from '../http.ts'
import { type FakeReplicate, startFakeReplicate } from '../testing/fake-replicate.ts'
import { colorFor, pngBytes } from '../testing/media.ts'
import { createTestCall } from '../testing/test-call.ts'
import { replicateAdapter } from './replicate.ts'

const generateImage = replicateAdapter.generateImage!
const editImage = replicateAdapter.editImage!
const generateVideo = replicateAdapter.generateVideo!

let fake: FakeReplicate
beforeEach(async () => {
  fake = await startFakeReplicate()
})
afterEach(() => fake.close())

const testCall = (apiKey = 'test-key') => createTestCall({ baseURL: `${fake.url}/v1`, apiKey })
const created = () => fake.requests.find((request) => request.method === 'POST')!
const createdInput = () => (created().json as { input: Record<string, unknown> }).input

/** Fetches a generated file, checks it is a PNG and returns its top-left pixel as `#rrggbb`. */
async function pngColor(url: string): Promise<string> {
  const response = await fetch(url)
  const image = sharp(Buffer.from(await response.arrayBuffer()))
  expect((await image.metadata()).format).toBe('png')
  const pixels = await image.raw().toBuffer()
  return `#${[...pixels.subarray(0, 3)].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`
}

function decodeDataUri(uri: unknown): { mime: string; bytes: Buffer } {
  const match = /^data:([^;]+);base64,(.*)$/.exec(String(uri))
  expect(match).not.toBeNull()
  return { mime: match![1]!, bytes: Buffer.from(match![2]!, 'base64') }
}

describe('replicateAdapter images', () => {
  it('creates an official-model prediction with the token and returns the output URLs', async () => {
    const { call, putAsset } = testCall()
    const referenceBytes = await pngBytes({ color: '#ff0000' })
    const reference = await putAsset(referenceBytes, 'image/png')

    const output = await generateImage(
      'black-forest-labs/flux-dev',
      { prompt: 'a red fox', negativePrompt: 'blur', n: 2, seed: 7, aspectRatio: '16:9', images: [reference] },
      call,
    )

    expect(created().path).toBe('/v1/models/black-forest-labs/flux-dev/predictions')
    expect(created().headers.authorization).toBe('Bearer test-key')
    expect(created().json).not.toHaveProperty('version')
    expect(createdInput()).toMatchObject({
      prompt: 'a red fox',
      negative_prompt: 'blur',
      num_outputs: 2,
      seed: 7,
      aspect_ratio: '16:9',
    })
    expect(decodeDataUri(createdInput().image)).toEqual({ mime: 'image/png', bytes: Buffer.from(referenceBytes) })

    expect(output.seed).toBe(7)
    expect(output.images).toHaveLength(2)
    const url = (output.images[0] as { url: string }).url
    expect(url.startsWith(`${fake.url}/files/`)).toBe(true)
    expect(await pngColor(url)).toBe(colorFor('a red fox', 7))
  })

  it('creates a versioned prediction with width and height from the size', async () => {
    const { call } = testCall()
    await generateImage('stability-ai/sdxl:39ed52f2a78e', { prompt: 'a lake', size: '768x512' }, call)
    expect(created().path).toBe('/v1/predictions')
    expect(created().json).toMatchObject({ version: '39ed52f2a78e', input: { width: 768, height: 512 } })
  })

  it('polls the prediction URL and reports progress from the tqdm logs', async () => {
    const { call, progress } = testCall()
    await generateImage('black-forest-labs/flux-schnell', { prompt: 'a lake' }, call)
    const polls = fake.requests.filter((request) => request.method === 'GET' && request.path.startsWith('/v1/'))
    expect(polls.length).toBeGreaterThanOrEqual(2)
    expect(polls.every((request) => request.headers.authorization === 'Bearer test-key')).toBe(true)
    expect(progress[0]).toEqual({ fraction: null, message: 'starting' })
    const processing = progress.filter((entry) => entry.message === 'processing')
    expect(processing.some(({ fraction }) => fraction !== null && fraction > 0 && fraction < 1)).toBe(true)
  })

  it('reads the seed the model logged when none was asked for', async () => {
    const { call } = testCall()
    const output = await generateImage('black-forest-labs/flux-schnell', { prompt: 'a lake' }, call)
    const url = (output.images[0] as { url: string }).url
    expect(output.seed).toEqual(expect.any(Number))
    expect(await pngColor(url)).toBe(colorFor('a lake', output.seed))
  })

  it('sends the image and mask of an edit as data URIs', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes({ color: '#00ff00' }), 'image/png')
    const mask = await putAsset(await pngBytes({ color: '#000000' }), 'image/png')

    const output = await editImage('black-forest-labs/flux-fill-pro', { prompt: 'add a hat', image, mask }, call)

    expect(createdInput().prompt).toBe('add a hat')
    expect(decodeDataUri(createdInput().image).mime).toBe('image/png')
    expect(decodeDataUri(createdInput().mask).mime).toBe('image/png')
    expect(output.images).toHaveLength(1)
  })
})

describe('replicateAdapter video', () => {
  it('maps frames, duration and format, and returns the video URL', async () => {
    const { call, putAsset } = testCall()
    const first = await putAsset(await pngBytes({ color: '#111111' }), 'image/png')
    const last = await putAsset(await pngBytes({ color: '#eeeeee' }), 'image/png')

    const output = await generateVideo(
      'wan-video/wan-2.2-i2v-fast',
      {
        prompt: 'a wave',
        negativePrompt: 'text',
        image: first,
        lastFrame: last,
        durationSeconds: 5,
        aspectRatio: '16:9',
        resolution: '720p',
        seed: 3,
      },
      call,
    )

    expect(createdInput()).toMatchObject({
      prompt: 'a wave',
      negative_prompt: 'text',
      duration: 5,
      aspect_ratio: '16:9',
      resolution: '720p',
      seed: 3,
    })
    expect(decodeDataUri(createdInput().start_image).mime).toBe('image/png')
    expect(decodeDataUri(createdInput().end_image).mime).toBe('image/png')
    const response = await fetch((output.video as { url: string }).url)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(4, 8)
        .toString('ascii'),
    ).toBe('ftyp')
  })
})

describe('replicateAdapter failures', () => {
  const flux = 'black-forest-labs/flux-schnell'

  it('turns a rejected token into a 401 with Replicate’s message', async () => {
    const { call } = testCall('wrong-key')
    const error = await generateImage(flux, { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ status: 401, message: 'Unauthenticated' })
  })

  it('turns rejected input into a 422 with the validation message', async () => {
    const { call } = testCall()
    const error = await generateImage(flux, { prompt: '' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ status: 422, message: '- input: prompt is required' })
  })

  it('rejects a size that is not WxH before calling Replicate', async () => {
    const { call } = testCall()
    const error = await generateImage(flux, { prompt: 'a lake', size: 'large' }, call).catch((caught) => caught)
    expect(error).toMatchObject({ status: 400, message: 'size must look like 1024x1024, got "large"' })
    expect(fake.requests).toHaveLength(0)
  })

  it('keeps the status and Retry-After of a rate limit', async () => {
    fake.faults.push({ status: 429, headers: { 'retry-after': '4' } })
    const { call } = testCall()
    const error = await generateImage(flux, { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error.status).toBe(429)
    expect(error.message).toBe('Request was throttled. Expected available in 1 second.')
    expect(error.headers.get('retry-after')).toBe('4')
  })

  it('fails with a job error when the prediction fails', async () => {
    fake.jobErrors.push('CUDA out of memory')
    const { call } = testCall()
    const error = await generateImage(flux, { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toBe('Replicate prediction failed: CUDA out of memory')
  })

  it('fails with a job error when the prediction is canceled on Replicate', async () => {
    await fake.close()
    fake = await startFakeReplicate({ latencyMs: 60_000 })
    const { call } = testCall()
    const generation = generateImage(flux, { prompt: 'a lake' }, call).catch((caught) => caught)
    // The first poll's path names the prediction; cancel it the way the Replicate dashboard would.
    await vi.waitFor(() => expect(fake.requests.length).toBeGreaterThan(1))
    const pollPath = fake.requests[1]!.path
    await fetch(`${fake.url}${pollPath}/cancel`, { method: 'POST', headers: { authorization: 'Bearer test-key' } })

    const error = await generation
    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toBe('canceled on Replicate')
  })

  it('cancels the prediction on Replicate when aborted while polling', async () => {
    await fake.close()
    fake = await startFakeReplicate({ latencyMs: 60_000 })
    const { call, controller, progress } = testCall()
    const generation = generateImage(flux, { prompt: 'a lake' }, call)
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0))

    const abortedAt = Date.now()
    controller.abort(new Error('user canceled'))
    await expect(generation).rejects.toThrow('user canceled')
    expect(Date.now() - abortedAt).toBeLessThan(500)
    expect(fake.canceled).toHaveLength(1)
    const cancel = fake.requests.find((request) => request.path.endsWith('/cancel'))!
    expect(cancel).toMatchObject({ method: 'POST', path: `/v1/predictions/${fake.canceled[0]}/cancel` })
    expect(cancel.headers.authorization).toBe('Bearer test-key')
  })
})
