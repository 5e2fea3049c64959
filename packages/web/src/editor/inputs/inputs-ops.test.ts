import type { Workflow } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import {
  addInput,
  checkInputName,
  convertValue,
  initialRunValues,
  newInputName,
  nodesUsingInput,
  removeInput,
  renameInput,
  renameInputRefs,
  textToValue,
  updateInput,
  valueToText,
} from './inputs-ops.ts'

const doc: Workflow = {
  schemaVersion: 1,
  name: 'Inputs',
  inputs: {
    topic: { type: 'text', default: 'cables', description: 'What to write about' },
    count: { type: 'number', default: 3 },
    strict: { type: 'boolean' },
  },
  nodes: [
    { id: 'a', type: 'text.template', params: { template: 'Write {{inputs.count}} lines on {{ inputs.topic }}.' } },
    {
      id: 'b',
      type: 'llm.chat',
      params: { system: 'About {{inputs.topic}}', messages: [{ text: '{{inputs.topic2}} {{inputs.topic}}' }] },
    },
    { id: 'c', type: 'text.template', params: { template: 'nothing here' } },
  ],
  edges: [],
}

describe('renameInput', () => {
  it('renames the declaration in place and every reference in node params', () => {
    const next = renameInput(doc, 'topic', 'subject')
    expect(Object.keys(next.inputs)).toEqual(['subject', 'count', 'strict'])
    expect(next.inputs.subject).toBe(doc.inputs.topic)
    expect(next.nodes[0]!.params.template).toBe('Write {{inputs.count}} lines on {{ inputs.subject }}.')
    expect(next.nodes[1]!.params).toEqual({
      system: 'About {{inputs.subject}}',
      // `topic2` is another input: only whole names are renamed.
      messages: [{ text: '{{inputs.topic2}} {{inputs.subject}}' }],
    })
  })
  it('keeps untouched nodes as they were (same objects)', () => {
    const next = renameInput(doc, 'topic', 'subject')
    expect(next.nodes[2]).toBe(doc.nodes[2])
  })
  it('refuses a taken or invalid name, or a missing input (same document)', () => {
    expect(renameInput(doc, 'topic', 'count')).toBe(doc)
    expect(renameInput(doc, 'topic', '2fast')).toBe(doc)
    expect(renameInput(doc, 'nope', 'other')).toBe(doc)
    expect(renameInput(doc, 'topic', 'topic')).toBe(doc)
  })
})

describe('renameInputRefs', () => {
  it('returns the same value when nothing refers to the input', () => {
    const params = { a: ['x', { b: '{{inputs.other}}' }], n: 1 }
    expect(renameInputRefs(params, 'topic', 'subject')).toBe(params)
  })
  it('does not treat the name as a pattern', () => {
    expect(renameInputRefs('{{inputs.ab}}', 'a.', 'x')).toBe('{{inputs.ab}}')
  })
})

describe('add, update and remove', () => {
  it('adds an input with a free name', () => {
    const name = newInputName(doc)
    expect(name).toBe('input_1')
    const next = addInput(doc, name)
    expect(next.inputs.input_1).toEqual({ type: 'text', default: '' })
    expect(addInput(doc, 'topic')).toBe(doc)
  })
  it('checks names', () => {
    expect(checkInputName(doc, '')).toMatch(/name/)
    expect(checkInputName(doc, 'has space')).toMatch(/letters/)
    expect(checkInputName(doc, 'count')).toMatch(/already/)
    expect(checkInputName(doc, 'count', 'count')).toBeUndefined()
    expect(checkInputName(doc, 'fresh_1')).toBeUndefined()
  })
  it('converts the default when the type changes, and drops what does not convert', () => {
    const asNumber = updateInput(updateInput(doc, 'topic', { default: '42' }), 'topic', { type: 'number' })
    expect(asNumber.inputs.topic).toEqual({ type: 'number', default: 42, description: 'What to write about' })
    const dropped = updateInput(doc, 'topic', { type: 'boolean' })
    expect(dropped.inputs.topic).toEqual({ type: 'boolean', description: 'What to write about' })
    expect(updateInput(doc, 'count', { type: 'text' }).inputs.count).toEqual({ type: 'text', default: '3' })
  })
  it('removes a default or an empty description, and changes nothing for a no-op', () => {
    expect(updateInput(doc, 'count', { default: undefined }).inputs.count).toEqual({ type: 'number' })
    expect(updateInput(doc, 'topic', { description: '' }).inputs.topic).toEqual({ type: 'text', default: 'cables' })
    expect(updateInput(doc, 'count', { default: 3 })).toBe(doc)
    expect(updateInput(doc, 'missing', { default: 1 })).toBe(doc)
  })
  it('removes an input and tells which nodes still use it', () => {
    expect(nodesUsingInput(doc, 'topic')).toEqual(['a', 'b'])
    expect(nodesUsingInput(doc, 'strict')).toEqual([])
    const next = removeInput(doc, 'topic')
    expect(Object.keys(next.inputs)).toEqual(['count', 'strict'])
    expect(removeInput(doc, 'missing')).toBe(doc)
  })
})

describe('values', () => {
  it('parses typed text per type', () => {
    expect(textToValue('text', '')).toEqual({ ok: true, value: '' })
    expect(textToValue('number', ' 2.5 ')).toEqual({ ok: true, value: 2.5 })
    expect(textToValue('number', 'two')).toMatchObject({ ok: false })
    expect(textToValue('number', '')).toEqual({ ok: false, error: 'Enter a number' })
    expect(textToValue('json', '{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } })
    expect(textToValue('json', '{a')).toMatchObject({ ok: false })
  })
  it('shows values as text and converts between types', () => {
    expect(valueToText('json', { a: 1 })).toBe('{\n  "a": 1\n}')
    expect(valueToText('number', 3)).toBe('3')
    expect(valueToText('text', undefined)).toBe('')
    expect(convertValue('boolean', 'true')).toBe(true)
    expect(convertValue('number', true)).toBeUndefined()
    expect(convertValue('text', { a: 1 })).toBe('{"a":1}')
  })
  it('starts a run with the last values that still fit, else the defaults', () => {
    const values = initialRunValues(doc.inputs, { topic: 'synths', count: 'not a number', gone: 1 })
    expect(values).toEqual({ topic: 'synths', count: 3, strict: false })
  })
})
