import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type AssetRef, isAssetRef } from '@patchbay/core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../support/child-process.ts'
import { engineWithGateway, eventsOf, type Fakes, singleNode, startFakes } from './support.ts'

let fakes: Fakes
let setup: ReturnType<typeof engineWithGateway>

beforeAll(async () => {
  fakes = await startFakes()
  setup = engineWithGateway(fakes.env)
})
afterAll(async () => {
  await setup?.close()
  await fakes?.close()
})

async function pixelsOf(ref: AssetRef) {
  const { data, info } = await sharp(await setup.assets.read(ref.sha256))
    .raw()
    .toBuffer({ resolveWithObject: true })
  return { rgb: [...data.subarray(0, 3)], width: info.width, height: info.height }
}

describe('examples/product-shot.json against loopback OpenAI', () => {
  it('generates, crops and describes the image, recording cost per node and for the run', async () => {
    fakes.openai.setReply('A sturdy white mug, ready for the first coffee of the day.')
    const workflow = JSON.parse(await readFile(join(repoRoot, 'examples/product-shot.json'), 'utf8'))
    const before = fakes.openai.requests.length
    const { run, events } = await setup.run({ workflow })
    expect(run.status).toBe('succeeded')

    const photo = run.outputs?.photo
    expect(isAssetRef(photo)).toBe(true)
    const generated = eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'shot')
    const image = generated?.outputs.image as AssetRef
    expect(image).toMatchObject({ kind: 'image', mime: 'image/png' })
    expect(Math.abs(((photo as AssetRef).width ?? 0) - (image.width ?? 0) * 0.8)).toBeLessThanOrEqual(1)
    expect(run.outputs?.description).toBe('A sturdy white mug, ready for the first coffee of the day.')

    // The prompt reached the image model; the cropped image (not a URL) reached the language model.
    const sent = fakes.openai.requests.slice(before)
    const imageCall = sent.find((request) => request.path === '/v1/images/generations')
    expect(imageCall?.json).toMatchObject({
      model: 'gpt-image-1',
      prompt: 'Product photo of a ceramic coffee mug, soft studio light, seamless white backdrop, high detail',
    })
    const chatCall = sent.find((request) => request.path === '/v1/responses')
    expect(JSON.stringify(chatCall?.json)).toContain('data:image/png;base64,')

    // Streamed text arrives as progress before the reply is final.
    const partial = eventsOf(events, 'node.progress').filter((event) => event.nodeId === 'describe')
    expect(partial.length).toBeGreaterThan(0)
    expect(String(run.outputs?.description).startsWith(partial.at(-1)?.message ?? '-')).toBe(true)

    expect(generated?.cost).toBe(0.042)
    const described = eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'describe')
    expect(described?.cost).toBeGreaterThan(0)
    const finished = eventsOf(events, 'run.finished')[0]
    expect(finished?.cost).toBeCloseTo(0.042 + (described?.cost ?? 0), 6)
    expect(run.cost).toBeCloseTo(finished?.cost ?? -1, 6)
    const rows = await setup.store.listNodeExecutions(run.id)
    expect(rows.find((row) => row.nodeId === 'shot')?.cost).toBe(0.042)
  })
})

describe('every provider through the engine', () => {
  it.each([
    ['anthropic/claude-haiku-4-5', () => fakes.anthropic],
    ['google/gemini-2.5-flash', () => fakes.google],
    ['ollama/llama3.2', () => fakes.ollama],
  ])('llm.chat on %s streams a reply', async (model, fake) => {
    const before = fake().requests.length
    const { run, events } = await setup.run({
      workflow: singleNode('llm.chat', { model, system: 'Be brief.' }, { prompt: 'Say hello' }, ['text']),
    })
    expect(run.status).toBe('succeeded')
    expect(String(run.outputs?.text)).toContain('hello')
    expect(fake().requests.length).toBeGreaterThan(before)
    expect(JSON.stringify(fake().requests.at(-1)?.json)).toContain('Be brief.')
    const cost = eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'model')?.cost
    if (model.startsWith('ollama/')) expect(cost).toBe(0)
    else expect(cost).toBeGreaterThan(0)
  })

  it.each([
    ['fal/fal-ai/flux/schnell', 0.003],
    ['replicate/black-forest-labs/flux-schnell', 0.003],
    ['google/imagen-4.0-fast-generate-001', 0.02],
    ['comfyui/sd_xl_base_1.0.safetensors', 0],
    ['openai/gpt-image-1', 0.042],
  ])('image.generate on %s stores a real image and prices it', async (model, price) => {
    const { run, events } = await setup.run({
      workflow: singleNode('image.generate', { model, n: 2, aspectRatio: '1:1' }, { prompt: 'a red fox' }, [
        'image',
        'images',
      ]),
    })
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
    const images = run.outputs?.images as AssetRef[]
    expect(images.length).toBeGreaterThanOrEqual(1)
    for (const image of images) {
      expect(image.kind).toBe('image')
      const pixels = await pixelsOf(image)
      expect(pixels.width).toBe(image.width)
    }
    expect(run.outputs?.image).toEqual(images[0])
    const cost = eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'model')?.cost
    expect(cost).toBeCloseTo(price * images.length, 6)
  })

  it('reuses a seeded generation from cache and calls the provider again without a seed', async () => {
    const seeded = singleNode('image.generate', { model: 'fal/fal-ai/flux/schnell', seed: 42 }, { prompt: 'a cat' }, [
      'image',
    ])
    const mark = fakes.fal.requests.length
    const first = await setup.run({ workflow: seeded })
    const submits = fakes.fal.requests.filter((request) => request.method === 'POST').length
    const second = await setup.run({ workflow: seeded })
    expect(eventsOf(second.events, 'node.cached').map((event) => event.nodeId)).toContain('model')
    expect(second.run.outputs?.image).toEqual(first.run.outputs?.image)
    expect(second.run.cost).toBe(0)
    expect(fakes.fal.requests.filter((request) => request.method === 'POST').length).toBe(submits)
    const submitted = fakes.fal.requests.slice(mark).find((request) => request.method === 'POST')
    expect(submitted?.json).toMatchObject({
      prompt: 'a cat',
      seed: 42,
    })

    const unseeded = singleNode('image.generate', { model: 'fal/fal-ai/flux/schnell' }, { prompt: 'a cat' }, ['image'])
    await setup.run({ workflow: unseeded })
    const again = await setup.run({ workflow: unseeded })
    expect(eventsOf(again.events, 'node.cached').map((event) => event.nodeId)).not.toContain('model')
    expect(eventsOf(again.events, 'node.succeeded').map((event) => event.nodeId)).toContain('model')
  })

  it.each([
    ['google/veo-3.1-fast-generate-preview', 4, 0.6],
    ['fal/fal-ai/kling-video/v2.1/master/text-to-video', 5, 1.4],
    ['replicate/minimax/video-01', 6, 0.498],
  ])('video.generate on %s reports progress and stores the video', async (model, seconds, cost) => {
    const { run, events } = await setup.run({
      workflow: singleNode('video.generate', { model, durationSeconds: seconds }, { prompt: 'waves at dusk' }, [
        'video',
      ]),
    })
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
    expect(run.outputs?.video).toMatchObject({ kind: 'video', mime: 'video/mp4' })
    expect(eventsOf(events, 'node.progress').length).toBeGreaterThan(0)
    expect(eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'model')?.cost).toBeCloseTo(cost, 6)
  })

  it('speaks text and transcribes it back (audio.speech → audio.transcribe)', async () => {
    const workflow = {
      schemaVersion: 1,
      name: 'round trip',
      nodes: [
        { id: 'words', type: 'input.text', params: { value: 'Patchbay speaks.' } },
        { id: 'speak', type: 'audio.speech', params: { model: 'openai/gpt-4o-mini-tts', voice: 'coral' } },
        { id: 'hear', type: 'audio.transcribe', params: { model: 'openai/whisper-1', language: 'en' } },
        { id: 'audio', type: 'output', params: { name: 'audio' } },
        { id: 'text', type: 'output', params: { name: 'text' } },
      ],
      edges: [
        { id: 'a', source: 'words', sourceHandle: 'text', target: 'speak', targetHandle: 'text' },
        { id: 'b', source: 'speak', sourceHandle: 'audio', target: 'hear', targetHandle: 'audio' },
        { id: 'c', source: 'speak', sourceHandle: 'audio', target: 'audio', targetHandle: 'value' },
        { id: 'd', source: 'hear', sourceHandle: 'text', target: 'text', targetHandle: 'value' },
      ],
    }
    const { run, events } = await setup.run({ workflow })
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
    expect(run.outputs?.audio).toMatchObject({ kind: 'audio' })
    expect(typeof run.outputs?.text).toBe('string')
    const speech = fakes.openai.requests.find((request) => request.path === '/v1/audio/speech')
    expect(speech?.json).toMatchObject({ model: 'gpt-4o-mini-tts', voice: 'coral', input: 'Patchbay speaks.' })
    const spoken = eventsOf(events, 'node.succeeded').find((event) => event.nodeId === 'speak')
    expect(spoken?.cost).toBeCloseTo((16 / 1000) * 0.015, 6)
  })

  it('edits a generated image (image.generate → image.edit)', async () => {
    const workflow = {
      schemaVersion: 1,
      name: 'edit',
      nodes: [
        { id: 'p', type: 'input.text', params: { value: 'a blue chair' } },
        { id: 'q', type: 'input.text', params: { value: 'paint it red' } },
        { id: 'gen', type: 'image.generate', params: { model: 'openai/gpt-image-1' } },
        { id: 'edit', type: 'image.edit', params: { model: 'openai/gpt-image-1' } },
        { id: 'out', type: 'output', params: { name: 'edited' } },
      ],
      edges: [
        { id: 'a', source: 'p', sourceHandle: 'text', target: 'gen', targetHandle: 'prompt' },
        { id: 'b', source: 'gen', sourceHandle: 'image', target: 'edit', targetHandle: 'image' },
        { id: 'c', source: 'q', sourceHandle: 'text', target: 'edit', targetHandle: 'prompt' },
        { id: 'd', source: 'edit', sourceHandle: 'image', target: 'out', targetHandle: 'value' },
      ],
    }
    const { run } = await setup.run({ workflow })
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
    expect(run.outputs?.edited).toMatchObject({ kind: 'image', mime: 'image/png' })
    expect(fakes.openai.requests.some((request) => request.path === '/v1/images/edits')).toBe(true)
  })
})
