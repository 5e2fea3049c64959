import { NodeError } from '@patchbay/core'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MediaSource } from '../adapter.ts'
import { ProviderHttpError, ProviderJobError } from '../http.ts'
import { type FakeComfyUI, startFakeComfyUI } from '../testing/fake-comfyui.ts'
import { colorFor, createTestCall, pngBytes } from '../testing/index.ts'
import { comfyuiAdapter, createComfyuiAdapter } from './comfyui.ts'

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>

let fake: FakeComfyUI
beforeEach(async () => {
  fake = await startFakeComfyUI()
})
afterEach(() => fake.close())

const testCall = (server: { url: string } = fake) => createTestCall({ baseURL: server.url, apiKey: undefined })
const submittedGraphs = (server: FakeComfyUI = fake) =>
  server.requests
    .filter((request) => request.path === '/prompt')
    .map((request) => (request.json as { prompt: Graph }).prompt)
const nodeOf = (graph: Graph, classType: string) => Object.values(graph).find((node) => node.class_type === classType)!
const linked = (graph: Graph, link: unknown) => graph[(link as [string, number])[0]]!

async function download(image: MediaSource | undefined) {
  if (!image || !('url' in image)) throw new Error('expected an image URL')
  const response = await fetch(image.url)
  expect(response.status).toBe(200)
  const { data, info } = await sharp(Buffer.from(await response.arrayBuffer()))
    .raw()
    .toBuffer({ resolveWithObject: true })
  const color = `#${[data[0], data[1], data[2]].map((value) => (value ?? 0).toString(16).padStart(2, '0')).join('')}`
  return { color, width: info.width, height: info.height }
}

describe('comfyui built-in graph', () => {
  it('wires prompt, seed, size and batch into the text-to-image graph', async () => {
    const output = await comfyuiAdapter.generateImage!(
      'sd_xl_base_1.0.safetensors',
      { prompt: 'a red fox', negativePrompt: 'blurry', seed: 123, size: '512x768', n: 2 },
      testCall().call,
    )

    const [graph] = submittedGraphs()
    if (!graph) throw new Error('no prompt submitted')
    const sampler = nodeOf(graph, 'KSampler')
    expect(sampler.inputs).toMatchObject({ seed: 123, steps: 20, cfg: 7, sampler_name: 'euler', denoise: 1 })
    expect(linked(graph, sampler.inputs.model).inputs).toEqual({ ckpt_name: 'sd_xl_base_1.0.safetensors' })
    expect(linked(graph, sampler.inputs.positive).inputs.text).toBe('a red fox')
    expect(linked(graph, sampler.inputs.negative).inputs.text).toBe('blurry')
    expect(linked(graph, sampler.inputs.latent_image)).toEqual({
      class_type: 'EmptyLatentImage',
      inputs: { width: 512, height: 768, batch_size: 2 },
    })
    const save = nodeOf(graph, 'SaveImage')
    expect(save.inputs.filename_prefix).toBe('patchbay')
    expect(linked(graph, save.inputs.images).class_type).toBe('VAEDecode')

    expect(output.seed).toBe(123)
    expect(output.images).toHaveLength(2)
    expect(output.images[0]).toMatchObject({
      url: expect.stringMatching(/\/view\?filename=patchbay_\d+_\.png&subfolder=&type=output$/),
      mime: 'image/png',
    })
    expect(await download(output.images[1])).toEqual({ color: colorFor('a red fox', 123), width: 85, height: 128 })
  })

  it('picks a random seed when none is given and reports it', async () => {
    const output = await comfyuiAdapter.generateImage!('sd_xl_base_1.0.safetensors', { prompt: 'x' }, testCall().call)

    const seed = nodeOf(submittedGraphs()[0]!, 'KSampler').inputs.seed as number
    expect(output.seed).toBe(seed)
    expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true)
  })

  it('maps an aspect ratio to about one megapixel in multiples of 64', async () => {
    await comfyuiAdapter.generateImage!(
      'sd_xl_base_1.0.safetensors',
      { prompt: 'x', aspectRatio: '16:9' },
      testCall().call,
    )

    expect(nodeOf(submittedGraphs()[0]!, 'EmptyLatentImage').inputs).toMatchObject({ width: 1344, height: 768 })
  })

  it('edits by uploading the image and sampling from it at denoise 0.75', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes(), 'image/png')

    const output = await comfyuiAdapter.editImage!(
      'sd_xl_base_1.0.safetensors',
      { prompt: 'make it snow', image },
      call,
    )

    const upload = fake.requests.find((request) => request.path === '/upload/image')!
    expect(upload.headers['content-type']).toMatch(/^multipart\/form-data/)
    expect(upload.body.toString('latin1')).toMatch(/name="overwrite"\r\n\r\ntrue/)
    expect(fake.uploads).toEqual([`patchbay-${image.sha256.slice(0, 16)}.png`])
    const graph = submittedGraphs()[0]!
    const sampler = nodeOf(graph, 'KSampler')
    expect(sampler.inputs.denoise).toBe(0.75)
    const encode = linked(graph, sampler.inputs.latent_image)
    expect(encode.class_type).toBe('VAEEncode')
    expect(linked(graph, encode.inputs.pixels).inputs.image).toBe(fake.uploads[0])
    expect(output.images).toHaveLength(1)
  })

  it('reports queue position, then running', async () => {
    const slow = await startFakeComfyUI({ latencyMs: 150 })
    try {
      const first = testCall(slow)
      const second = testCall(slow)
      await Promise.all([
        comfyuiAdapter.generateImage!('sd_xl_base_1.0.safetensors', { prompt: 'one' }, first.call),
        comfyuiAdapter.generateImage!('sd_xl_base_1.0.safetensors', { prompt: 'two' }, second.call),
      ])

      const messages = [first, second].map((test) => test.progress.map((entry) => entry.message))
      expect(messages).toContainEqual(['running'])
      expect(messages).toContainEqual(['queued (position 1)', 'running'])
    } finally {
      await slow.close()
    }
  })
})

describe('comfyui workflow files', () => {
  const files: Record<string, string> = {
    '/flows/portrait.json': JSON.stringify({
      '1': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: 'v1-5-pruned-emaonly.safetensors' } },
      '2': { class_type: 'CLIPTextEncode', inputs: { text: 'portrait of {{prompt}}, 85mm', clip: ['1', 1] } },
      '3': { class_type: 'CLIPTextEncode', inputs: { text: '{{negativePrompt}}', clip: ['1', 1] } },
      '4': { class_type: 'EmptyLatentImage', inputs: { width: '{{width}}', height: '{{height}}', batch_size: 1 } },
      '5': {
        class_type: 'KSampler',
        inputs: { seed: '{{seed}}', model: ['1', 0], positive: ['2', 0], negative: ['3', 0], latent_image: ['4', 0] },
      },
      '6': { class_type: 'VAEDecode', inputs: { samples: ['5', 0], vae: ['1', 2] } },
      '7': { class_type: 'SaveImage', inputs: { filename_prefix: 'portrait', images: ['6', 0] } },
    }),
    '/flows/inpaint.json': JSON.stringify({
      '1': { class_type: 'LoadImage', inputs: { image: '{{image}}' } },
      '2': { class_type: 'LoadImage', inputs: { image: '{{mask}}' } },
      '3': { class_type: 'SaveImage', inputs: { filename_prefix: 'inpaint', images: ['1', 0] } },
    }),
  }
  const readFile = async (path: string) => {
    const text = files[path]
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' })
    return text
  }
  const adapter = createComfyuiAdapter({ workflowsDir: '/flows', readFile })

  it('substitutes placeholders with typed values', async () => {
    const output = await adapter.generateImage!(
      'workflow:portrait',
      { prompt: 'an old sailor', negativePrompt: 'cartoon', seed: 99, size: '640x960' },
      testCall().call,
    )

    const graph = submittedGraphs()[0]!
    expect(graph['2']!.inputs.text).toBe('portrait of an old sailor, 85mm')
    expect(graph['3']!.inputs.text).toBe('cartoon')
    expect(graph['4']!.inputs).toEqual({ width: 640, height: 960, batch_size: 1 })
    expect(graph['5']!.inputs.seed).toBe(99)
    expect(output.seed).toBe(99)
    expect(await download(output.images[0])).toMatchObject({ color: colorFor('portrait of an old sailor, 85mm', 99) })
  })

  it('uploads image and mask for a workflow that uses them', async () => {
    const { call, putAsset } = testCall()
    const image = await putAsset(await pngBytes(), 'image/png')
    const mask = await putAsset(await pngBytes({ color: '#000000' }), 'image/png')

    const output = await adapter.editImage!('workflow:inpaint', { prompt: 'x', image, mask }, call)

    const graph = submittedGraphs()[0]!
    expect(fake.uploads).toHaveLength(2)
    expect([graph['1']!.inputs.image, graph['2']!.inputs.image]).toEqual(fake.uploads)
    expect(output.seed).toBeUndefined()
  })

  it('names the directory when the workflow does not exist', async () => {
    const error = await adapter.generateImage!('workflow:missing', { prompt: 'x' }, testCall().call).catch((e) => e)

    expect(error).toBeInstanceOf(NodeError)
    expect(error).toMatchObject({ code: 'UNKNOWN_MODEL', retryable: false })
    expect(error.message).toBe('unknown ComfyUI workflow "missing": no missing.json in /flows')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('comfyui failures', () => {
  it('turns node_errors into a 400 naming the bad checkpoint', async () => {
    const error = await comfyuiAdapter.generateImage!('bad.safetensors', { prompt: 'x' }, testCall().call).catch(
      (e) => e,
    )

    expect(error).toBeInstanceOf(ProviderHttpError)
    expect(error.status).toBe(400)
    expect(error.message).toMatch(
      /^Prompt outputs failed validation: CheckpointLoaderSimple \(node 4\): Value not in list/,
    )
    expect(error.message).toContain("'bad.safetensors'")
  })

  it('turns an execution_error into a job error', async () => {
    const error = await comfyuiAdapter.generateImage!(
      'sd_xl_base_1.0.safetensors',
      { prompt: 'FAIL' },
      testCall().call,
    ).catch((e) => e)

    expect(error).toBeInstanceOf(ProviderJobError)
    expect(error.message).toBe(
      'ComfyUI failed: KSampler (node 3): Allocation on device 0 would exceed allowed memory. (out of memory)',
    )
  })

  it('deletes a queued prompt on abort without interrupting the running one', async () => {
    const slow = await startFakeComfyUI({ latencyMs: 10_000 })
    const blocker = testCall(slow)
    const waiting = testCall(slow)
    try {
      const blocking = comfyuiAdapter.generateImage!('sd_xl_base_1.0.safetensors', { prompt: 'one' }, blocker.call)
      await expect.poll(() => blocker.progress.length).toBe(1)
      const queued = comfyuiAdapter.generateImage!('sd_xl_base_1.0.safetensors', { prompt: 'two' }, waiting.call)
      await expect.poll(() => waiting.progress.at(-1)?.message).toBe('queued (position 1)')

      const started = Date.now()
      waiting.controller.abort(new Error('stop'))
      await expect(queued).rejects.toThrow('stop')
      expect(Date.now() - started).toBeLessThan(500)
      expect(slow.deleted).toHaveLength(1)
      expect(slow.interrupted).toBe(0)

      blocker.controller.abort(new Error('stop'))
      await expect(blocking).rejects.toThrow('stop')
      expect(slow.deleted).toHaveLength(2)
      expect(slow.interrupted).toBe(1)
      expect(slow.requests.find((request) => request.path === '/interrupt')?.json).toEqual({
        prompt_id: slow.deleted[1],
      })
    } finally {
      await slow.close()
    }
  })
})
