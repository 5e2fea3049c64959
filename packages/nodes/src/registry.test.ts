import { nodeCatalog, validateWorkflow } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { type BuiltinNodeType, builtinNodes, builtinRegistry } from './registry.ts'

describe('builtin registry', () => {
  it('holds every node under its own type id', () => {
    const types = Object.keys(builtinNodes) as BuiltinNodeType[]
    for (const type of types) expect(builtinRegistry.get(type)?.type).toBe(type)
    // Spot checks across the categories, so that losing a whole category fails here.
    for (const type of ['text.template', 'image.composite', 'video.trim', 'audio.mix', 'llm.chat', 'output']) {
      expect(types).toContain(type)
    }
  })

  it('describes every node in the catalog, params as JSON Schema', () => {
    const catalog = nodeCatalog(builtinRegistry)
    expect(catalog).toHaveLength(Object.keys(builtinNodes).length)
    const cacheable = Object.fromEntries(catalog.map((entry) => [entry.type, entry.cacheable]))
    // A generation is reused only with a fixed seed; an edit is a new draw every time.
    expect(cacheable).toMatchObject({
      'image.crop': true,
      'llm.chat': 'depends-on-params',
      'image.generate': 'depends-on-params',
      'video.generate': 'depends-on-params',
      'image.edit': false,
      'audio.speech': true,
    })
    for (const entry of catalog) expect(entry.params).toMatchObject({ type: 'object' })
  })

  it('validates a workflow that wires the nodes together', () => {
    const result = validateWorkflow(
      {
        schemaVersion: 1,
        name: 'starter',
        inputs: { product: { type: 'text', default: 'a mug' } },
        nodes: [
          { id: 'a', type: 'input.text', params: { value: 'hello' } },
          { id: 't', type: 'text.template', params: { template: '{{inputs.product}}: {{text}}' } },
          { id: 'j', type: 'text.join', params: {} },
          { id: 'c', type: 'logic.condition', params: { operator: 'contains', operand: 'mug' } },
          { id: 'w', type: 'util.wait', params: { ms: 0 } },
          { id: 'o', type: 'output', params: { name: 'text' } },
          { id: 'l', type: 'image.load', params: { path: 'in.png' } },
          { id: 'r', type: 'image.resize', params: { width: 64 } },
          { id: 'k', type: 'image.crop', params: { x: 0.1, width: 0.8 } },
          { id: 'oi', type: 'output', params: { name: 'image' } },
        ],
        edges: [
          { id: 'e1', source: 'a', sourceHandle: 'text', target: 't', targetHandle: 'text' },
          { id: 'e2', source: 't', sourceHandle: 'text', target: 'j', targetHandle: 'texts' },
          { id: 'e3', source: 'a', sourceHandle: 'text', target: 'j', targetHandle: 'texts' },
          { id: 'e4', source: 'j', sourceHandle: 'text', target: 'c', targetHandle: 'value' },
          { id: 'e5', source: 'c', sourceHandle: 'true', target: 'w', targetHandle: 'value' },
          { id: 'e6', source: 'w', sourceHandle: 'value', target: 'o', targetHandle: 'value' },
          { id: 'e7', source: 'l', sourceHandle: 'image', target: 'r', targetHandle: 'image' },
          { id: 'e8', source: 'r', sourceHandle: 'image', target: 'k', targetHandle: 'image' },
          { id: 'e9', source: 'k', sourceHandle: 'image', target: 'oi', targetHandle: 'value' },
        ],
      },
      builtinRegistry,
    )
    expect(result.ok ? [] : result.issues).toEqual([])
  })
})
