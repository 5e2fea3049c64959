import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import type { ValidationIssue } from '../errors.ts'
import { defineNode } from '../node-sdk.ts'
import { createRegistry } from '../registry.ts'
import { type ValidationResult, validateWorkflow } from './validate-workflow.ts'

const textSource = defineNode({
  type: 'text.source',
  version: 1,
  category: 'text',
  title: 'Text',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ value: z.string().default('') }),
  async run({ params }) {
    return { text: params.value }
  },
})

const numberSource = defineNode({
  type: 'number.source',
  version: 1,
  category: 'number',
  title: 'Number',
  inputs: {},
  outputs: { value: { type: 'number' } },
  params: z.object({}),
  async run() {
    return { value: 1 }
  },
})

const imageSource = defineNode({
  type: 'image.source',
  version: 1,
  category: 'image',
  title: 'Images',
  inputs: {},
  outputs: { image: { type: 'image' }, images: { type: 'image', list: true } },
  params: z.object({}),
  async run() {
    return {}
  },
})

const imageResize = defineNode({
  type: 'image.resize',
  version: 1,
  category: 'image',
  title: 'Resize',
  inputs: { image: { type: 'image', required: true } },
  outputs: { image: { type: 'image' } },
  params: z.object({
    size: z.object({ width: z.number().int().min(1).max(4096), height: z.number().int().min(1).max(4096) }),
    mode: z.enum(['fit', 'fill']).default('fit'),
  }),
  async run({ inputs }) {
    return { image: inputs.image }
  },
})

const textJoin = defineNode({
  type: 'text.join',
  version: 1,
  category: 'text',
  title: 'Join',
  inputs: { texts: { type: 'text', multiple: true, required: true }, separator: { type: 'text' } },
  outputs: { text: { type: 'text' } },
  params: z.object({}),
  async run({ inputs }) {
    return { text: inputs.texts.join(inputs.separator ?? '') }
  },
})

const passAny = defineNode({
  type: 'any.pass',
  version: 1,
  category: 'util',
  title: 'Pass',
  inputs: { value: { type: 'any' } },
  outputs: { value: { type: 'any' } },
  params: z.object({}),
  async run({ inputs }) {
    return { value: inputs.value }
  },
})

const merge = defineNode({
  type: 'any.merge',
  version: 1,
  category: 'util',
  title: 'Merge',
  inputs: { values: { type: 'any', multiple: true } },
  outputs: { values: { type: 'any', list: true } },
  params: z.object({}),
  async run({ inputs }) {
    return { values: inputs.values ?? [] }
  },
})

const prompt = defineNode({
  type: 'text.prompt',
  version: 1,
  category: 'text',
  title: 'Prompt',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ prompt: z.string(), extras: z.array(z.object({ note: z.string() })).default([]) }),
  async run({ params }) {
    return { text: params.prompt }
  },
})

const output = defineNode({
  type: 'output',
  version: 1,
  category: 'output',
  title: 'Output',
  inputs: { value: { type: 'any', required: true } },
  outputs: { value: { type: 'any' } },
  params: z.object({ name: z.string().regex(/^[a-z]+$/) }),
  runOutput: (params) => params.name,
  async run({ inputs }) {
    return { value: inputs.value }
  },
})

const registry = createRegistry({
  'text.source': textSource,
  'number.source': numberSource,
  'image.source': imageSource,
  'image.resize': imageResize,
  'text.join': textJoin,
  'any.pass': passAny,
  'any.merge': merge,
  'text.prompt': prompt,
  output,
})

type Doc = Record<string, unknown>

function doc(overrides: Doc = {}): Doc {
  return { schemaVersion: 1, name: 'test', nodes: [], ...overrides }
}

function edge(id: string, source: string, sourceHandle: string, target: string, targetHandle: string) {
  return { id, source, sourceHandle, target, targetHandle }
}

function issuesOf(result: ValidationResult): ValidationIssue[] {
  if (result.ok) throw new Error('expected the workflow to be invalid')
  return result.issues
}

function validate(document: unknown): ValidationIssue[] {
  return issuesOf(validateWorkflow(document, registry))
}

/** One `any.pass` node per id. */
function passNodes(...ids: string[]) {
  return ids.map((id) => ({ id, type: 'any.pass' }))
}

describe('validateWorkflow: valid documents', () => {
  it('returns the parsed workflow with defaults applied', () => {
    const result = validateWorkflow(
      {
        schemaVersion: 1,
        name: 'minimal',
        nodes: [
          { id: 'a', type: 'number.source' },
          { id: 'p', type: 'any.pass' },
        ],
      },
      registry,
    )
    expect(result).toEqual({
      ok: true,
      workflow: {
        schemaVersion: 1,
        name: 'minimal',
        inputs: {},
        nodes: [
          { id: 'a', type: 'number.source', params: {} },
          { id: 'p', type: 'any.pass', params: {} },
        ],
        edges: [],
      },
    })
  })

  it('accepts a wired graph with inputs, a multiple input and a run output', () => {
    const result = validateWorkflow(
      doc({
        inputs: { subject: { type: 'text', default: 'a cat' }, count: { type: 'number' } },
        nodes: [
          { id: 'p', type: 'text.prompt', params: { prompt: 'draw {{ inputs.subject }}' } },
          { id: 't', type: 'text.source', params: { value: 'x' } },
          { id: 'j', type: 'text.join' },
          { id: 'o', type: 'output', params: { name: 'joined' } },
        ],
        edges: [
          edge('e1', 'p', 'text', 'j', 'texts'),
          edge('e2', 't', 'text', 'j', 'texts'),
          edge('e3', 'j', 'text', 'o', 'value'),
        ],
      }),
      registry,
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.workflow.edges.map((e) => e.id)).toEqual(['e1', 'e2', 'e3'])
    expect(result.workflow.inputs.subject).toEqual({ type: 'text', default: 'a cat' })
  })

  it('does not apply the params schema defaults to the stored document', () => {
    // The document keeps what the author wrote; node params are parsed again at run time.
    const result = validateWorkflow(doc({ nodes: [{ id: 't', type: 'text.source' }] }), registry)
    expect(result.ok && result.workflow.nodes[0]?.params).toEqual({})
  })
})

describe('validateWorkflow: INVALID_DOCUMENT', () => {
  it('rejects a schemaVersion it does not know', () => {
    const issues = validate(doc({ schemaVersion: 2 }))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'INVALID_DOCUMENT', path: ['schemaVersion'], field: 'schemaVersion' })
    expect(issues[0]?.message).toContain('"schemaVersion"')
  })

  it('rejects a document without a name, and reports every envelope problem', () => {
    const issues = validate({ schemaVersion: 1, nodes: 'nope' })
    expect(issues.map((issue) => issue.code)).toEqual(['INVALID_DOCUMENT', 'INVALID_DOCUMENT'])
    const name = issues.find((issue) => issue.field === 'name')
    expect(name).toMatchObject({ path: ['name'] })
    expect(name?.message).toContain('"name"')
    expect(issues.find((issue) => issue.field === 'nodes')).toMatchObject({ path: ['nodes'] })
  })

  it('rejects a value that is not an object, naming the whole document', () => {
    for (const value of [null, 'workflow', [], 42]) {
      const issues = validate(value)
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatchObject({ code: 'INVALID_DOCUMENT', path: [] })
      expect(issues[0]?.field).toBeUndefined()
      expect(issues[0]?.message).toMatch(/^document: /)
    }
  })

  it('rejects an input name that is not an identifier', () => {
    const issues = validate(doc({ inputs: { 'bad name': { type: 'text' } } }))
    expect(issues[0]).toMatchObject({ code: 'INVALID_DOCUMENT' })
    expect(issues[0]?.path.slice(0, 2)).toEqual(['inputs', 'bad name'])
  })
})

describe('validateWorkflow: INVALID_NODE and INVALID_EDGE', () => {
  it('reports a malformed node by index and id, and still checks the others', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 'ok', type: 'number.source' },
          { id: 'bad id!', type: 'number.source' },
          { id: 'x', type: 'no.such.type' },
        ],
      }),
    )
    expect(issues).toHaveLength(2)
    expect(issues[0]).toMatchObject({ code: 'INVALID_NODE', path: ['nodes', 1, 'id'], nodeId: 'bad id!', field: 'id' })
    expect(issues[0]?.message).toContain('node "bad id!": "id": use letters, digits')
    expect(issues[1]).toMatchObject({ code: 'UNKNOWN_NODE_TYPE', nodeId: 'x' })
  })

  it('reports a node without an id without naming one', () => {
    const issues = validate(doc({ nodes: [{ type: 'number.source' }] }))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'INVALID_NODE', path: ['nodes', 0, 'id'], field: 'id' })
    expect(issues[0]?.nodeId).toBeUndefined()
  })

  it('reports a malformed edge by index and id', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'a', type: 'any.pass' }],
        edges: [{ id: 'e1', source: 'a', sourceHandle: '', target: 'a', targetHandle: 'value' }],
      }),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      code: 'INVALID_EDGE',
      path: ['edges', 0, 'sourceHandle'],
      edgeId: 'e1',
      field: 'sourceHandle',
    })
    expect(issues[0]?.message).toContain('edge "e1": "sourceHandle"')
    expect(issues[0]?.nodeId).toBeUndefined()
  })
})

describe('validateWorkflow: ids and types', () => {
  it('reports DUPLICATE_NODE_ID on the second node with that id', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 'a', type: 'number.source' },
          { id: 'a', type: 'text.source' },
        ],
      }),
    )
    expect(issues).toEqual([
      { code: 'DUPLICATE_NODE_ID', message: 'node id "a" is used twice', path: ['nodes', 1], nodeId: 'a' },
    ])
  })

  it('reports DUPLICATE_EDGE_ID on the second edge with that id', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'j', type: 'text.join' },
        ],
        edges: [edge('e', 't', 'text', 'j', 'texts'), edge('e', 't', 'text', 'j', 'separator')],
      }),
    )
    expect(issues).toEqual([
      { code: 'DUPLICATE_EDGE_ID', message: 'edge "e": edge id is used twice', path: ['edges', 1], edgeId: 'e' },
    ])
  })

  it('reports UNKNOWN_NODE_TYPE with the node and its type', () => {
    const issues = validate(doc({ nodes: [{ id: 'n1', type: 'image.blur' }] }))
    expect(issues).toEqual([
      {
        code: 'UNKNOWN_NODE_TYPE',
        message: 'node "n1": unknown node type "image.blur"',
        path: ['nodes', 0, 'type'],
        nodeId: 'n1',
      },
    ])
  })
})

describe('validateWorkflow: params and workflow inputs', () => {
  it('reports INVALID_PARAM with the nested field path', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 'src', type: 'image.source' },
          { id: 'r', type: 'image.resize', params: { size: { width: 0, height: 10 }, mode: 'stretch' } },
        ],
        edges: [edge('e1', 'src', 'image', 'r', 'image')],
      }),
    )
    expect(issues).toHaveLength(2)
    const width = issues.find((issue) => issue.field === 'size.width')
    expect(width).toMatchObject({
      code: 'INVALID_PARAM',
      path: ['nodes', 1, 'params', 'size', 'width'],
      nodeId: 'r',
    })
    expect(width?.message).toMatch(/^node "r": param "size\.width": /)
    const mode = issues.find((issue) => issue.field === 'mode')
    expect(mode).toMatchObject({ code: 'INVALID_PARAM', path: ['nodes', 1, 'params', 'mode'], nodeId: 'r' })
  })

  it('reports INVALID_PARAM inside arrays with the index in the path', () => {
    const issues = validate(
      doc({ nodes: [{ id: 'p', type: 'text.prompt', params: { prompt: 'x', extras: [{ note: 'a' }, { note: 3 }] } }] }),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      code: 'INVALID_PARAM',
      path: ['nodes', 0, 'params', 'extras', 1, 'note'],
      field: 'extras.1.note',
      nodeId: 'p',
    })
  })

  it('reports a missing required param', () => {
    const issues = validate(doc({ nodes: [{ id: 'p', type: 'text.prompt' }] }))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'INVALID_PARAM', path: ['nodes', 0, 'params', 'prompt'], field: 'prompt' })
  })

  it('reports UNKNOWN_WORKFLOW_INPUT for a reference to an undeclared input', () => {
    const issues = validate(
      doc({
        inputs: { subject: { type: 'text' } },
        nodes: [{ id: 'p', type: 'text.prompt', params: { prompt: '{{inputs.subject}} in {{ inputs.place }}' } }],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'UNKNOWN_WORKFLOW_INPUT',
        message: 'node "p": {{inputs.place}} refers to an input the workflow does not declare',
        path: ['nodes', 0, 'params'],
        nodeId: 'p',
        field: 'place',
      },
    ])
  })

  it('finds references to undeclared inputs deep inside params', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'p', type: 'text.prompt', params: { prompt: 'x', extras: [{ note: '{{inputs.deep}}' }] } }],
      }),
    )
    expect(issues).toMatchObject([{ code: 'UNKNOWN_WORKFLOW_INPUT', field: 'deep', nodeId: 'p' }])
  })

  it('reports a reference to an input named like an Object.prototype member', () => {
    // Nothing declares `constructor`, so this is as undeclared as any other name.
    const issues = validate(
      doc({ nodes: [{ id: 'p', type: 'text.prompt', params: { prompt: '{{inputs.constructor}}' } }] }),
    )
    expect(issues).toMatchObject([{ code: 'UNKNOWN_WORKFLOW_INPUT', field: 'constructor', nodeId: 'p' }])
  })

  it('reports INVALID_INPUT_DEFAULT for a default of the wrong type', () => {
    const issues = validate(
      doc({
        inputs: {
          count: { type: 'number', default: 'three' },
          ratio: { type: 'number', default: 0.5 },
          flag: { type: 'boolean', default: 'yes' },
          anything: { type: 'json', default: { a: [1] } },
        },
      }),
    )
    expect(issues).toEqual([
      {
        code: 'INVALID_INPUT_DEFAULT',
        message: 'workflow input "count": default must be a finite number',
        path: ['inputs', 'count', 'default'],
        field: 'count',
      },
      {
        code: 'INVALID_INPUT_DEFAULT',
        message: 'workflow input "flag": default must be true or false',
        path: ['inputs', 'flag', 'default'],
        field: 'flag',
      },
    ])
  })
})

describe('validateWorkflow: edges', () => {
  it('reports UNKNOWN_NODE for each missing end of an edge', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'a', type: 'any.pass' }],
        edges: [edge('e1', 'a', 'value', 'ghost', 'value'), edge('e2', 'nobody', 'value', 'nowhere', 'value')],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'UNKNOWN_NODE',
        message: 'edge "e1": target node "ghost" does not exist',
        path: ['edges', 0],
        edgeId: 'e1',
        nodeId: 'ghost',
      },
      {
        code: 'UNKNOWN_NODE',
        message: 'edge "e2": source node "nobody" does not exist',
        path: ['edges', 1],
        edgeId: 'e2',
        nodeId: 'nobody',
      },
      {
        code: 'UNKNOWN_NODE',
        message: 'edge "e2": target node "nowhere" does not exist',
        path: ['edges', 1],
        edgeId: 'e2',
        nodeId: 'nowhere',
      },
    ])
  })

  it('reports UNKNOWN_HANDLE on the source side', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'p', type: 'any.pass' },
        ],
        edges: [edge('e1', 't', 'image', 'p', 'value')],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'UNKNOWN_HANDLE',
        message: 'edge "e1": node "t" (text.source) has no output "image"',
        path: ['edges', 0],
        edgeId: 'e1',
        nodeId: 't',
        handle: 'image',
      },
    ])
  })

  it('reports UNKNOWN_HANDLE on the target side, and on both sides at once', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'p', type: 'any.pass' },
        ],
        edges: [edge('e1', 't', 'text', 'p', 'input'), edge('e2', 't', 'txt', 'p', 'val')],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'UNKNOWN_HANDLE',
        message: 'edge "e1": node "p" (any.pass) has no input "input"',
        path: ['edges', 0],
        edgeId: 'e1',
        nodeId: 'p',
        handle: 'input',
      },
      expect.objectContaining({ code: 'UNKNOWN_HANDLE', edgeId: 'e2', nodeId: 't', handle: 'txt' }),
      expect.objectContaining({ code: 'UNKNOWN_HANDLE', edgeId: 'e2', nodeId: 'p', handle: 'val' }),
    ])
  })

  it('reports INCOMPATIBLE_TYPES for text into image, naming the target handle', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'r', type: 'image.resize', params: { size: { width: 1, height: 1 } } },
        ],
        edges: [edge('e1', 't', 'text', 'r', 'image')],
      }),
    )
    const incompatible = issues.find((issue) => issue.code === 'INCOMPATIBLE_TYPES')
    expect(incompatible).toEqual({
      code: 'INCOMPATIBLE_TYPES',
      message: 'edge "e1": output "t.text" (text) cannot feed input "r.image" (image)',
      path: ['edges', 0],
      edgeId: 'e1',
      nodeId: 'r',
      handle: 'image',
    })
    // An incompatible edge does not satisfy the required input it points at.
    expect(issues.map((issue) => issue.code)).toEqual(['INCOMPATIBLE_TYPES', 'MISSING_REQUIRED_INPUT'])
  })

  it('reports INCOMPATIBLE_TYPES between a list and a single value of the same type', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 's', type: 'image.source' },
          { id: 'r', type: 'image.resize', params: { size: { width: 1, height: 1 } } },
        ],
        edges: [edge('e1', 's', 'images', 'r', 'image')],
      }),
    )
    expect(issues[0]).toMatchObject({ code: 'INCOMPATIBLE_TYPES', edgeId: 'e1', nodeId: 'r', handle: 'image' })
    expect(issues[0]?.message).toContain('(image[]) cannot feed input "r.image" (image)')
  })

  it('accepts `any` on either side of an edge', () => {
    const result = validateWorkflow(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'p', type: 'any.pass' },
          { id: 'r', type: 'image.resize', params: { size: { width: 1, height: 1 } } },
          { id: 's', type: 'image.source' },
          { id: 'q', type: 'any.pass' },
        ],
        edges: [
          edge('e1', 't', 'text', 'p', 'value'),
          edge('e2', 'p', 'value', 'r', 'image'),
          edge('e3', 's', 'images', 'q', 'value'),
        ],
      }),
      registry,
    )
    expect(result.ok).toBe(true)
  })

  it('reports TOO_MANY_EDGES for a second edge into a single input', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 's1', type: 'image.source' },
          { id: 's2', type: 'image.source' },
          { id: 'r', type: 'image.resize', params: { size: { width: 1, height: 1 } } },
        ],
        edges: [edge('e1', 's1', 'image', 'r', 'image'), edge('e2', 's2', 'image', 'r', 'image')],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'TOO_MANY_EDGES',
        message: 'edge "e2": input "r.image" accepts only one connection',
        path: ['edges', 1],
        edgeId: 'e2',
        nodeId: 'r',
        handle: 'image',
      },
    ])
  })

  it('accepts many edges into a `multiple` input', () => {
    const result = validateWorkflow(
      doc({
        nodes: [
          { id: 'a', type: 'text.source' },
          { id: 'b', type: 'text.source' },
          { id: 'c', type: 'text.source' },
          { id: 'j', type: 'text.join' },
        ],
        edges: [
          edge('e1', 'a', 'text', 'j', 'texts'),
          edge('e2', 'b', 'text', 'j', 'texts'),
          edge('e3', 'c', 'text', 'j', 'texts'),
        ],
      }),
      registry,
    )
    expect(result.ok).toBe(true)
  })

  it('reports MISSING_REQUIRED_INPUT with the node and handle', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'j', type: 'text.join' },
        ],
        edges: [edge('e1', 't', 'text', 'j', 'separator')],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'MISSING_REQUIRED_INPUT',
        message: 'node "j": required input "texts" (text) is not connected',
        path: ['nodes', 1],
        nodeId: 'j',
        handle: 'texts',
      },
    ])
  })
})

describe('validateWorkflow: CYCLE', () => {
  function cycles(issues: ValidationIssue[]): ValidationIssue[] {
    return issues.filter((issue) => issue.code === 'CYCLE')
  }

  it('reports a self-loop', () => {
    const issues = validate(doc({ nodes: passNodes('a'), edges: [edge('e1', 'a', 'value', 'a', 'value')] }))
    expect(issues).toEqual([{ code: 'CYCLE', message: 'the graph has a cycle: a → a', path: ['edges'], nodeId: 'a' }])
  })

  it('reports a two-node cycle with its path', () => {
    const issues = validate(
      doc({
        nodes: passNodes('a', 'b'),
        edges: [edge('e1', 'a', 'value', 'b', 'value'), edge('e2', 'b', 'value', 'a', 'value')],
      }),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'CYCLE', path: ['edges'] })
    expect(['the graph has a cycle: a → b → a', 'the graph has a cycle: b → a → b']).toContain(issues[0]?.message)
  })

  it('reports a cycle fed by a tail, listing only the cycle', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'x', type: 'text.source' }, { id: 'm', type: 'any.merge' }, ...passNodes('b', 'c')],
        edges: [
          edge('e0', 'x', 'text', 'm', 'values'),
          edge('e1', 'm', 'values', 'b', 'value'),
          edge('e2', 'b', 'value', 'c', 'value'),
          edge('e3', 'c', 'value', 'm', 'values'),
        ],
      }),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'CYCLE', path: ['edges'] })
    expect(issues[0]?.message).toMatch(/^the graph has a cycle: (m → b → c → m|b → c → m → b|c → m → b → c)$/)
    expect(['m', 'b', 'c']).toContain(issues[0]?.nodeId)
  })

  it('reports a cycle with a tail hanging off it', () => {
    // b feeds both the tail node c and, through its second edge, the cycle back to a.
    const issues = validate(
      doc({
        nodes: passNodes('a', 'b', 'c'),
        edges: [
          edge('e1', 'a', 'value', 'b', 'value'),
          edge('e2', 'b', 'value', 'c', 'value'),
          edge('e3', 'b', 'value', 'a', 'value'),
        ],
      }),
    )
    expect(cycles(issues)).toHaveLength(1)
    expect(cycles(issues)[0]?.message).toMatch(/^the graph has a cycle: (a → b → a|b → a → b)$/)
  })

  it('counts edges of unknown node types for cycles', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'a', type: 'mystery' }, ...passNodes('b')],
        edges: [edge('e1', 'a', 'out', 'b', 'value'), edge('e2', 'b', 'value', 'a', 'in')],
      }),
    )
    expect(issues.map((issue) => issue.code).sort()).toEqual(['CYCLE', 'UNKNOWN_NODE_TYPE'])
  })
})

describe('validateWorkflow: DUPLICATE_OUTPUT_NAME', () => {
  it('reports two nodes producing the same run output', () => {
    const issues = validate(
      doc({
        nodes: [
          { id: 't', type: 'text.source' },
          { id: 'o1', type: 'output', params: { name: 'result' } },
          { id: 'o2', type: 'output', params: { name: 'other' } },
          { id: 'o3', type: 'output', params: { name: 'result' } },
        ],
        edges: [
          edge('e1', 't', 'text', 'o1', 'value'),
          edge('e2', 't', 'text', 'o2', 'value'),
          edge('e3', 't', 'text', 'o3', 'value'),
        ],
      }),
    )
    expect(issues).toEqual([
      {
        code: 'DUPLICATE_OUTPUT_NAME',
        message: 'nodes "o1" and "o3" both produce the run output "result"',
        path: ['nodes', 3, 'params'],
        nodeId: 'o3',
        field: 'name',
      },
    ])
  })
})

describe('validateWorkflow: many problems', () => {
  it('reports every problem at once, not just the first', () => {
    const issues = validate(
      doc({
        inputs: { n: { type: 'number', default: 'x' } },
        nodes: [
          { id: 'ok!', type: 'text.source' }, // INVALID_NODE
          { id: 'u', type: 'unknown.type' }, // UNKNOWN_NODE_TYPE
          { id: 'r', type: 'image.resize', params: { size: { width: -1, height: 1 } } }, // INVALID_PARAM
          { id: 'p', type: 'text.prompt', params: { prompt: '{{inputs.missing}}' } }, // UNKNOWN_WORKFLOW_INPUT
          { id: 'p', type: 'text.prompt', params: { prompt: 'dup' } }, // DUPLICATE_NODE_ID
          { id: 't', type: 'text.source' },
          { id: 'j', type: 'text.join' }, // MISSING_REQUIRED_INPUT (texts)
          { id: 'o1', type: 'output', params: { name: 'same' } },
          { id: 'o2', type: 'output', params: { name: 'same' } }, // DUPLICATE_OUTPUT_NAME
          { id: 's1', type: 'image.source' },
          { id: 's2', type: 'image.source' },
          { id: 'c1', type: 'any.pass' },
          { id: 'c2', type: 'any.pass' },
        ],
        edges: [
          { id: 'bad', source: 't' }, // INVALID_EDGE
          edge('e1', 't', 'text', 'r', 'image'), // INCOMPATIBLE_TYPES
          edge('e1', 't', 'text', 'o1', 'value'), // DUPLICATE_EDGE_ID
          edge('e2', 't', 'text', 'ghost', 'value'), // UNKNOWN_NODE
          edge('e3', 't', 'nope', 'o1', 'value'), // UNKNOWN_HANDLE
          edge('e4', 's1', 'image', 'o1', 'value'),
          edge('e5', 's2', 'image', 'o1', 'value'), // TOO_MANY_EDGES
          edge('e6', 't', 'text', 'o2', 'value'),
          edge('e7', 'c1', 'value', 'c2', 'value'),
          edge('e8', 'c2', 'value', 'c1', 'value'), // CYCLE
        ],
      }),
    )
    expect(new Set(issues.map((issue) => issue.code))).toEqual(
      new Set([
        'INVALID_NODE',
        'INVALID_EDGE',
        'INVALID_INPUT_DEFAULT',
        'UNKNOWN_NODE_TYPE',
        'INVALID_PARAM',
        'UNKNOWN_WORKFLOW_INPUT',
        'DUPLICATE_NODE_ID',
        'DUPLICATE_EDGE_ID',
        'UNKNOWN_NODE',
        'UNKNOWN_HANDLE',
        'INCOMPATIBLE_TYPES',
        'TOO_MANY_EDGES',
        'MISSING_REQUIRED_INPUT',
        'CYCLE',
        'DUPLICATE_OUTPUT_NAME',
      ]),
    )
    const required = issues.filter((issue) => issue.code === 'MISSING_REQUIRED_INPUT')
    expect(required.map((issue) => `${issue.nodeId}.${issue.handle}`).sort()).toEqual(['j.texts', 'r.image'])
  })
})

describe('validateWorkflow: notes and groups', () => {
  const note = (id: string, extra: Doc = {}) => ({
    id,
    text: '# Hi',
    position: { x: 0, y: 0 },
    size: { width: 200, height: 120 },
    ...extra,
  })
  const group = (id: string, extra: Doc = {}) => ({
    id,
    label: 'Inputs',
    position: { x: -40, y: -40 },
    size: { width: 640, height: 400 },
    ...extra,
  })

  it('accepts notes and groups, filling in empty text and label', () => {
    const result = validateWorkflow(
      doc({
        nodes: passNodes('a'),
        notes: [
          note('n1', { color: 'yellow' }),
          { id: 'n2', position: { x: 1, y: 2 }, size: { width: 40, height: 40 } },
        ],
        groups: [
          group('g1', { color: 'blue' }),
          { id: 'g2', position: { x: 0, y: 0 }, size: { width: 99, height: 99 } },
        ],
      }),
      registry,
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.workflow.notes).toEqual([
      note('n1', { color: 'yellow' }),
      { id: 'n2', text: '', position: { x: 1, y: 2 }, size: { width: 40, height: 40 } },
    ])
    expect(result.workflow.groups?.map((g) => [g.id, g.label, g.color])).toEqual([
      ['g1', 'Inputs', 'blue'],
      ['g2', '', undefined],
    ])
  })

  it('leaves a document without notes or groups as it was (its version hash does not change)', () => {
    const result = validateWorkflow(doc({ nodes: passNodes('a') }), registry)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.keys(result.workflow).sort()).toEqual(['edges', 'inputs', 'name', 'nodes', 'schemaVersion'])
  })

  it('reports DUPLICATE_ID for a note or group whose id a node, note or group already has', () => {
    const issues = validate(
      doc({
        nodes: passNodes('a'),
        notes: [note('a'), note('n1'), note('n1')],
        groups: [group('n1'), group('g1'), group('g1')],
      }),
    )
    expect(issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([
      ['DUPLICATE_ID', 'notes.0.id'],
      ['DUPLICATE_ID', 'notes.2.id'],
      ['DUPLICATE_ID', 'groups.0.id'],
      ['DUPLICATE_ID', 'groups.2.id'],
    ])
    expect(issues[0]).toMatchObject({ field: 'id', details: { kind: 'note', id: 'a' } })
    expect(issues[0]?.message).toBe('note "a": the id is already used by node "a"')
    expect(issues[2]?.message).toBe('group "n1": the id is already used by note "n1"')
    expect(issues[3]?.message).toBe('group "g1": the id is already used by group "g1"')
  })

  it('does not confuse note and group ids with edge ids', () => {
    const result = validateWorkflow(
      doc({ nodes: passNodes('a', 'b'), edges: [edge('e1', 'a', 'value', 'b', 'value')], notes: [note('e1')] }),
      registry,
    )
    expect(result.ok).toBe(true)
  })

  it('reports INVALID_NOTE and INVALID_GROUP by index and id, and still checks the graph', () => {
    const issues = validate(
      doc({
        nodes: [{ id: 'x', type: 'no.such.type' }],
        notes: [
          note('long', { text: 'x'.repeat(20_001) }),
          note('tiny', { size: { width: 10, height: 120 } }),
          note('red', { color: 'red' }),
          { text: 'no id', position: { x: 0, y: 0 }, size: { width: 100, height: 100 } },
        ],
        groups: [group('huge', { label: 'l'.repeat(201), size: { width: 10_001, height: 400 } }), group('ok')],
      }),
    )
    expect(issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([
      ['INVALID_NOTE', 'notes.0.text'],
      ['INVALID_NOTE', 'notes.1.size.width'],
      ['INVALID_NOTE', 'notes.2.color'],
      ['INVALID_NOTE', 'notes.3.id'],
      ['INVALID_GROUP', 'groups.0.label'],
      ['INVALID_GROUP', 'groups.0.size.width'],
      ['UNKNOWN_NODE_TYPE', 'nodes.0.type'],
    ])
    expect(issues[0]?.message).toMatch(/^note "long": "text": /)
    expect(issues[3]?.message).toMatch(/^note 3: "id": /)
    expect(issues[4]?.message).toMatch(/^group "huge": "label": /)
  })

  it('still finds DUPLICATE_ID among the well-formed ones when another is malformed', () => {
    const issues = validate(doc({ nodes: passNodes('a'), notes: [note('a'), note('bad', { size: {} })] }))
    expect(issues.map((issue) => issue.code).sort()).toEqual(['DUPLICATE_ID', 'INVALID_NOTE', 'INVALID_NOTE'])
  })

  it('rejects notes or groups that are not arrays', () => {
    const issues = validate(doc({ notes: {}, groups: 'x' }))
    expect(issues.map((issue) => [issue.code, issue.field])).toEqual([
      ['INVALID_DOCUMENT', 'notes'],
      ['INVALID_DOCUMENT', 'groups'],
    ])
  })
})
