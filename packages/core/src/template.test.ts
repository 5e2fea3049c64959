import { describe, expect, it } from 'vitest'
import { findInputRefs, isPlainObject, substituteInputs } from './template.ts'

describe('findInputRefs', () => {
  it('finds references in a string, with or without whitespace inside the braces', () => {
    expect(findInputRefs('{{inputs.a}} and {{ inputs.b }} and {{  inputs._c9\t}}')).toEqual(new Set(['a', 'b', '_c9']))
  })

  it('finds references deep inside arrays and objects, once per name', () => {
    const params = {
      prompt: 'draw {{inputs.subject}}',
      layers: [{ text: '{{inputs.caption}}' }, ['{{inputs.subject}}', { deeper: { still: '{{inputs.size}}' } }]],
      count: 3,
      flag: true,
      empty: null,
    }
    expect(findInputRefs(params)).toEqual(new Set(['subject', 'caption', 'size']))
  })

  it('ignores text that is not an input reference', () => {
    const values = ['{{text}}', '{inputs.a}', '{{ inputs. a }}', '{{inputs.1abc}}', '{{inputs.a-b}}', 'inputs.a']
    expect(findInputRefs(values)).toEqual(new Set())
  })

  it('returns an empty set for values without strings', () => {
    expect(findInputRefs(42)).toEqual(new Set())
    expect(findInputRefs(undefined)).toEqual(new Set())
    expect(findInputRefs({ a: [1, null, false] })).toEqual(new Set())
  })

  it('does not look inside class instances', () => {
    expect(findInputRefs(new Date())).toEqual(new Set())
    expect(findInputRefs(new Map([['k', '{{inputs.hidden}}']]))).toEqual(new Set())
  })

  it('finds every reference when called repeatedly (no shared regex state)', () => {
    for (let i = 0; i < 3; i++) expect(findInputRefs('{{inputs.x}}{{inputs.y}}')).toEqual(new Set(['x', 'y']))
  })
})

describe('substituteInputs', () => {
  it('replaces references with strings as they are', () => {
    expect(substituteInputs('a {{inputs.x}} b {{ inputs.x }}', { x: 'cat' })).toBe('a cat b cat')
  })

  it('stringifies numbers, booleans and json values', () => {
    const inputs = { n: 2.5, t: true, f: false, j: { a: [1, 'b'] }, z: 0 }
    expect(substituteInputs('{{inputs.n}}|{{inputs.t}}|{{inputs.f}}|{{inputs.j}}|{{inputs.z}}', inputs)).toBe(
      '2.5|true|false|{"a":[1,"b"]}|0',
    )
  })

  it('replaces a missing or null input with the empty string', () => {
    expect(substituteInputs('[{{inputs.missing}}][{{inputs.nil}}]', { nil: null })).toBe('[][]')
  })

  it('leaves other double-brace text alone', () => {
    expect(substituteInputs('{{text}} {{ input.x }} {{inputs.x}}', { x: 'X', text: 'no' })).toBe(
      '{{text}} {{ input.x }} X',
    )
  })

  it('inserts replacement patterns such as $& literally', () => {
    expect(substituteInputs('cost: {{inputs.price}}', { price: "$& $1 $$ $'" })).toBe("cost: $& $1 $$ $'")
  })

  it('substitutes deep inside arrays and objects and keeps other values', () => {
    const params = { prompt: '{{inputs.s}}', list: ['x{{inputs.n}}', 3, null, { k: '{{inputs.s}}' }], flag: false }
    expect(substituteInputs(params, { s: 'S', n: 1 })).toEqual({
      prompt: 'S',
      list: ['x1', 3, null, { k: 'S' }],
      flag: false,
    })
  })

  it('does not mutate its argument', () => {
    const params = { prompt: '{{inputs.s}}', nested: { list: ['{{inputs.s}}'] } }
    const before = structuredClone(params)
    const result = substituteInputs(params, { s: 'changed' })
    expect(params).toEqual(before)
    expect(result).not.toBe(params)
    expect(result.nested).not.toBe(params.nested)
    expect(result.nested.list).not.toBe(params.nested.list)
  })

  it('returns non-string scalars unchanged', () => {
    expect(substituteInputs(5, { x: 1 })).toBe(5)
    expect(substituteInputs(null, { x: 1 })).toBe(null)
    const date = new Date(0)
    expect(substituteInputs(date, {})).toBe(date)
  })
})

describe('isPlainObject', () => {
  it('accepts object literals and null-prototype objects only', () => {
    expect(isPlainObject({})).toBe(true)
    expect(isPlainObject(Object.create(null))).toBe(true)
    for (const value of [null, [], new Date(), new Map(), 'x', 1, undefined, new (class A {})()]) {
      expect(isPlainObject(value)).toBe(false)
    }
  })
})
