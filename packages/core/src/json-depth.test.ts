import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { MAX_JSON_DEPTH, pathDeeperThan } from './json-depth.ts'
import { defineNode } from './node-sdk.ts'
import { createRegistry } from './registry.ts'
import { findInputRefs } from './template.ts'
import { resolveRunInputs } from './validate/run-inputs.ts'
import { validateWorkflow } from './validate/validate-workflow.ts'
import type { Workflow } from './workflow/schema.ts'

// Values nested thousands deep (issue 13 finding 4) must be refused with a clear code, never
// overflow the stack, whichever way they arrive (API, CLI, SDK in-process).

const nest = (depth: number, leaf: unknown = '{{inputs.x}}'): unknown => {
  let value = leaf
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

const anything = defineNode({
  type: 'any.params',
  version: 1,
  category: 'test',
  title: 'Anything',
  inputs: {},
  outputs: {},
  params: z.object({ value: z.unknown() }),
  async run() {
    return {}
  },
})
const registry = createRegistry({ 'any.params': anything })
const doc = (value: unknown) => ({
  schemaVersion: 1,
  name: 'deep',
  inputs: { x: { type: 'json', default: 1 } },
  nodes: [{ id: 'n', type: 'any.params', params: { value } }],
  edges: [],
})

describe('pathDeeperThan', () => {
  it('finds the first level past the limit and its path, iteratively', () => {
    expect(pathDeeperThan(nest(3), 3)).toBeUndefined()
    expect(pathDeeperThan({ a: [{ b: [1] }] }, 3)).toEqual(['a', 0, 'b'])
    expect(pathDeeperThan(nest(100_000), MAX_JSON_DEPTH)?.length).toBe(MAX_JSON_DEPTH)
    expect(pathDeeperThan('text')).toBeUndefined()
  })

  it('treats a cycle as too deep instead of looping', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    expect(pathDeeperThan(cycle, 10)).toHaveLength(10)
  })
})

describe('deep values', () => {
  it('findInputRefs walks 100,000 levels without recursion', () => {
    expect(findInputRefs(nest(100_000))).toEqual(new Set(['x']))
  })

  it('validateWorkflow refuses node params nested 5,000 deep with JSON_TOO_DEEP', () => {
    const result = validateWorkflow(doc(nest(5000)), registry)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.issues.map((issue) => issue.code)).toEqual(['JSON_TOO_DEEP'])
  })

  it('validateWorkflow still accepts params nested within the limit', () => {
    expect(validateWorkflow(doc(nest(MAX_JSON_DEPTH - 10)), registry).ok).toBe(true)
  })

  it('resolveRunInputs refuses an input nested 5,000 deep with JSON_TOO_DEEP', () => {
    const checked = validateWorkflow(doc('plain'), registry)
    if (!checked.ok) throw new Error('fixture is invalid')
    const workflow: Workflow = checked.workflow
    expect(() => resolveRunInputs(workflow, { x: nest(5000, 1) })).toThrow(/more than 400 levels deep/)
    expect(resolveRunInputs(workflow, { x: nest(300, 1) }).x).toEqual(nest(300, 1))
  })
})
