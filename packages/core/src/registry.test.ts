import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode } from './node-sdk.ts'
import { createRegistry, nodeCatalog } from './registry.ts'

const resize = defineNode({
  type: 'image.resize',
  version: 3,
  category: 'image',
  title: 'Resize',
  description: 'Scales an image.',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    width: z.number().int().min(1).max(4096).describe('Target width'),
    mode: z.enum(['fit', 'fill']).default('fit'),
  }),
  async run({ inputs }) {
    return { image: inputs.image }
  },
})

const generate = defineNode({
  type: 'ai.generate',
  version: 1,
  category: 'ai',
  title: 'Generate',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ seed: z.number().optional() }),
  cacheable: (params) => params.seed !== undefined,
  async run() {
    return { text: 'x' }
  },
})

const random = defineNode({
  type: 'util.random',
  version: 1,
  category: 'util',
  title: 'Random',
  inputs: {},
  outputs: { value: { type: 'number' } },
  params: z.object({}),
  cacheable: false,
  async run() {
    return { value: 4 }
  },
})

describe('createRegistry', () => {
  it('looks up definitions by type and lists them', () => {
    const registry = createRegistry({ 'image.resize': resize, 'ai.generate': generate })
    expect(registry.get('image.resize')).toBe(resize)
    expect(registry.get('ai.generate')).toBe(generate)
    expect(registry.get('nope')).toBeUndefined()
    expect(registry.list()).toEqual([resize, generate])
  })

  it('rejects a key that differs from the node type', () => {
    expect(() => createRegistry({ 'image.scale': resize })).toThrow(
      'registry key image.scale does not match node type image.resize',
    )
  })
})

describe('nodeCatalog', () => {
  const catalog = nodeCatalog(
    createRegistry({ 'util.random': random, 'image.resize': resize, 'ai.generate': generate }),
  )

  it('lists the node types sorted by type', () => {
    expect(catalog.map((entry) => entry.type)).toEqual(['ai.generate', 'image.resize', 'util.random'])
  })

  it('describes ports and metadata as plain data', () => {
    const entry = catalog.find((item) => item.type === 'image.resize')
    expect(entry).toMatchObject({
      version: 3,
      category: 'image',
      title: 'Resize',
      description: 'Scales an image.',
      inputs: { image: { type: 'image', required: true } },
      outputs: { image: { type: 'image' } },
    })
    expect(JSON.parse(JSON.stringify(catalog))).toEqual(catalog)
    expect(catalog.find((item) => item.type === 'ai.generate')).not.toHaveProperty('description')
  })

  it('gives params as JSON Schema with constraints and defaults', () => {
    const params = catalog.find((item) => item.type === 'image.resize')?.params
    expect(params).toMatchObject({
      type: 'object',
      properties: {
        width: { type: 'integer', minimum: 1, maximum: 4096, description: 'Target width' },
        mode: { type: 'string', enum: ['fit', 'fill'], default: 'fit' },
      },
    })
    // With input semantics a defaulted param is optional for the author.
    expect((params as { required?: string[] }).required).toEqual(['width'])
  })

  it('reports cacheable as true by default, false, or depends-on-params for a function', () => {
    const cacheable = Object.fromEntries(catalog.map((entry) => [entry.type, entry.cacheable]))
    expect(cacheable).toEqual({
      'ai.generate': 'depends-on-params',
      'image.resize': true,
      'util.random': false,
    })
  })
})
