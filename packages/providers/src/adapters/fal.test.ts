import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ProviderHttpError, ProviderJobError } from '../http.ts'
import { type FakeFal, startFakeFal } from '../testing/fake-fal.ts'
import { sendJson, startLoopbackServer } from '../testing/loopback-server.ts'
import { colorFor, pngBytes } from '../testing/media.ts'
import { createTestCall } from '../testing/test-call.ts'
import { falAdapter } from './fal.ts'

const generateImage = falAdapter.generateImage!
const editImage = falAdapter.editImage!
const generateVideo = falAdapter.generateVideo!

let fake: FakeFal
beforeEach(async () => {
  fake = await startFakeFal()
})
afterEach(() => fake.close())

const testCall = (apiKey = 'test-key') => createTestCall({ baseURL: fake.url, apiKey })
const submitted = () => fake.requests.find((request) => request.method === 'POST')!

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

describe('falAdapter images', () => {
  it('submits the mapped input with the key and returns the image URLs and seed', async () => {
    const { call, putAsset } = testCall()
    const referenceBytes = await pngBytes({ color: '#ff0000' })
    const reference = await putAsset(referenceBytes, 'image/png')

    const output = await generateImage(
      'fal-ai/flux/dev',
      { prompt: 'a red fox', negativePrompt: 'blur', n: 2, seed: 7, aspectRatio: '16:9', images: [reference] },
      call,
    )

    const submit = submitted()
    expect(submit.path).toBe('/fal-ai/flux/dev')
    expect(submit.headers.authorization).toBe('Key test-key')
    expect(submit.json).toMatchObject({
      prompt: 'a red fox',
      negative_prompt: 'blur',
      num_images: 2,
      seed: 7,
      image_size: 'landscape_16_9',
      aspect_ratio: '16:9',
    })
    const input = submit.json as { image_url: string; image_urls: string[] }
    expect(decodeDataUri(input.image_url)).toEqual({ mime: 'image/png', bytes: Buffer.from(referenceBytes) })
    expect(input.image_urls).toEqual([input.image_url])

    expect(output.seed).toBe(7)
    expect(output.images).toHaveLength(2)
    expect(output.images[0]).toMatchObject({ mime: 'image/png', width: 64, height: 64 })
    const url = (output.images[0] as { url: string }).url
    expect(url.startsWith(`${fake.url}/files/`)).toBe(true)
    expect(await pngColor(url)).toBe(colorFor('a red fox', 7))
  })

  it('sends a WxH size as width and height', async () => {
    const { call } = testCall()
    await generateImage('fal-ai/flux/schnell', { prompt: 'a lake', size: '640x480' }, call)
    expect(submitted().json).toMatchObject({ image_size: { width: 640, height: 480 } })
    expect(submitted().json).not.toHaveProperty('aspect_ratio')
  })

  it('follows the status and result URLs fal returns, with the key', async () => {
    const { call } = testCall()
    await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call)
    const statusPolls = fake.requests.filter((request) => request.path.endsWith('/status'))
    expect(statusPolls.length).toBeGreaterThanOrEqual(3)
    expect(statusPolls[0]!.path).toMatch(/^\/fal-ai\/flux\/requests\/[^/]+\/status$/)
    expect(statusPolls[0]!.query.get('logs')).toBe('1')
    expect(statusPolls.every((request) => request.headers.authorization === 'Key test-key')).toBe(true)
  })

  it('reports the queue position, then a fraction parsed from the logs', async () => {
    const { call, progress } = testCall()
    await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call)
    expect(progress[0]).toEqual({ fraction: null, message: 'queued (position 0)' })
    const generating = progress.filter((entry) => entry.message === 'generating')
    expect(generating.length).toBeGreaterThan(0)
    expect(generating.some(({ fraction }) => fraction !== null && fraction > 0 && fraction < 1)).toBe(true)
  })

  it('sends the image and mask of an edit as data URIs', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes({ color: '#00ff00' }), 'image/png')
    const mask = await putAsset(await pngBytes({ color: '#000000' }), 'image/png')

    const output = await editImage('fal-ai/flux-pro/v1/fill', { prompt: 'add a hat', image, mask }, call)

    const input = submitted().json as Record<string, unknown>
    expect(decodeDataUri(input.image_url).mime).toBe('image/png')
    expect(decodeDataUri(input.mask_url).mime).toBe('image/png')
    expect(input.mask_url).not.toBe(input.image_url)
    expect(output.images).toHaveLength(1)
  })

  it('sends credentials only to the base URL origin', async () => {
    const elsewhere = await startLoopbackServer((request, response) => {
      if (request.path.endsWith('/status')) return sendJson(response, 200, { status: 'COMPLETED' })
      sendJson(response, 200, { images: [{ url: 'https://cdn.example/a.png' }] })
    })
    const queue = await startLoopbackServer((_request, response) =>
      sendJson(response, 200, { request_id: 'r1', response_url: `${elsewhere.url}/requests/r1` }),
    )
    try {
      const { call } = createTestCall({ baseURL: queue.url, apiKey: 'test-key' })
      const output = await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call)
      expect(output.images).toEqual([{ url: 'https://cdn.example/a.png' }])
      expect(queue.requests[0]!.headers.authorization).toBe('Key test-key')
      expect(elsewhere.requests.map((request) => request.path)).toEqual(['/requests/r1/status', '/requests/r1'])
      expect(elsewhere.requests.every((request) => request.headers.authorization === undefined)).toBe(true)
    } finally {
      await Promise.all([queue.close(), elsewhere.close()])
    }
  })
})

describe('falAdapter video', () => {
  it('maps frames, duration and format, and returns the video URL', async () => {
    const { call, putAsset } = testCall()
    const first = await putAsset(await pngBytes({ color: '#111111' }), 'image/png')
    const last = await putAsset(await pngBytes({ color: '#eeeeee' }), 'image/png')

    const output = await generateVideo(
      'fal-ai/kling-video/v2.1/master/image-to-video',
      {
        prompt: 'a wave',
        negativePrompt: 'text',
        image: first,
        lastFrame: last,
        durationSeconds: 5,
        aspectRatio: '16:9',
        resolution: '1080p',
        seed: 3,
      },
      call,
    )

    expect(submitted().path).toBe('/fal-ai/kling-video/v2.1/master/image-to-video')
    const input = submitted().json as Record<string, unknown>
    expect(input).toMatchObject({
      prompt: 'a wave',
      negative_prompt: 'text',
      duration: '5',
      aspect_ratio: '16:9',
      resolution: '1080p',
      seed: 3,
    })
    expect(decodeDataUri(input.image_url).mime).toBe('image/png')
    expect(decodeDataUri(input.end_image_url).mime).toBe('image/png')
    expect(output.video).toMatchObject({ mime: 'video/mp4' })
    const response = await fetch((output.video as { url: string }).url)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    expect(
      Buffer.from(await response.arrayBuffer())
        .subarray(4, 8)
        .toString('ascii'),
    ).toBe('ftyp')
  })
})

describe('falAdapter failures', () => {
  it('turns a rejected key into a 401 with fal’s message', async () => {
    const { call } = testCall('wrong-key')
    const error = await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ status: 401, message: 'Authentication is required to access this application.' })
  })

  it('turns rejected input into a 422 naming the field', async () => {
    const { call } = testCall()
    const error = await generateImage('fal-ai/flux/schnell', { prompt: '' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error).toMatchObject({ status: 422, message: 'prompt: ensure this value has at least 1 characters' })
  })

  it('keeps the status and Retry-After of a rate limit', async () => {
    fake.faults.push({ status: 429, body: { detail: 'Too many requests' }, headers: { 'retry-after': '3' } })
    const { call } = testCall()
    const error = await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error.status).toBe(429)
    expect(error.message).toBe('Too many requests')
    expect(error.headers.get('retry-after')).toBe('3')
  })

  it('fails with a job error when the request completes with an error', async () => {
    fake.jobErrors.push('CUDA out of memory')
    const { call } = testCall()
    const error = await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call).catch((caught) => caught)
    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toContain('CUDA out of memory')
  })

  it('fails with a job error when the result holds no images', async () => {
    const queue = await startLoopbackServer((request, response) => {
      if (request.method === 'POST')
        return sendJson(response, 200, { request_id: 'r1', response_url: `${queue.url}/r/r1` })
      if (request.path.endsWith('/status')) return sendJson(response, 200, { status: 'COMPLETED' })
      sendJson(response, 200, { images: [] })
    })
    try {
      const { call } = createTestCall({ baseURL: queue.url, apiKey: 'test-key' })
      const error = await generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call).catch((caught) => caught)
      expect(error).toBeInstanceOf(ProviderJobError)
      expect(error.message).toBe('fal endpoint fal-ai/flux/schnell returned no images')
    } finally {
      await queue.close()
    }
  })

  it('cancels the request on fal when aborted while polling', async () => {
    await fake.close()
    fake = await startFakeFal({ latencyMs: 60_000 })
    const { call, controller, progress } = testCall()
    const generation = generateImage('fal-ai/flux/schnell', { prompt: 'a lake' }, call)
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(0))

    const abortedAt = Date.now()
    controller.abort(new Error('user canceled'))
    await expect(generation).rejects.toThrow('user canceled')
    expect(Date.now() - abortedAt).toBeLessThan(500)
    expect(fake.canceled).toHaveLength(1)
    const cancel = fake.requests.find((request) => request.path.endsWith('/cancel'))!
    expect(cancel).toMatchObject({ method: 'PUT', path: `/fal-ai/flux/requests/${fake.canceled[0]}/cancel` })
    expect(cancel.headers.authorization).toBe('Key test-key')
  })
})
