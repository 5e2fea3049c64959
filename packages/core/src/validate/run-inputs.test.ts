import { describe, expect, it } from 'vitest'
import { ValidationError } from '../errors.ts'
import type { Workflow } from '../workflow/schema.ts'
import { checkInputDefault, parseInputText, resolveRunInputs } from './run-inputs.ts'

describe('parseInputText', () => {
  it('keeps text as it is', () => {
    expect(parseInputText('text', '  42 ')).toBe('  42 ')
    expect(parseInputText('text', '')).toBe('')
  })

  it('parses numbers', () => {
    expect(parseInputText('number', '42')).toBe(42)
    expect(parseInputText('number', '-1.5')).toBe(-1.5)
    expect(parseInputText('number', ' 1e3 ')).toBe(1000)
  })

  it('rejects text that is not a finite number', () => {
    for (const text of ['', '   ', 'abc', '1,5', 'NaN', 'Infinity', '-Infinity']) {
      expect(() => parseInputText('number', text)).toThrow(`"${text}" is not a number`)
    }
  })

  it('parses booleans written as true/false or 1/0', () => {
    expect(parseInputText('boolean', 'true')).toBe(true)
    expect(parseInputText('boolean', '1')).toBe(true)
    expect(parseInputText('boolean', 'false')).toBe(false)
    expect(parseInputText('boolean', '0')).toBe(false)
  })

  it('rejects other boolean spellings', () => {
    for (const text of ['yes', 'TRUE', 'False', '', ' true']) {
      expect(() => parseInputText('boolean', text)).toThrow(`"${text}" is not true or false`)
    }
  })

  it('parses json', () => {
    expect(parseInputText('json', '{"a":[1,true,null]}')).toEqual({ a: [1, true, null] })
    expect(parseInputText('json', '"s"')).toBe('s')
    expect(parseInputText('json', '3')).toBe(3)
  })

  it('rejects invalid json', () => {
    for (const text of ['{a:1}', '', "'x'", '[1,']) {
      expect(() => parseInputText('json', text)).toThrow(`"${text}" is not valid JSON`)
    }
  })
})

describe('checkInputDefault', () => {
  it('describes a value of the wrong type', () => {
    expect(checkInputDefault('text', 'x')).toBeUndefined()
    expect(checkInputDefault('text', 1)).toBe('must be a string')
    expect(checkInputDefault('number', 0)).toBeUndefined()
    expect(checkInputDefault('number', Number.NaN)).toBe('must be a finite number')
    expect(checkInputDefault('number', '1')).toBe('must be a finite number')
    expect(checkInputDefault('boolean', false)).toBeUndefined()
    expect(checkInputDefault('boolean', 0)).toBe('must be true or false')
    expect(checkInputDefault('json', null)).toBeUndefined()
  })
})

function workflowWith(inputs: Workflow['inputs']): Workflow {
  return { schemaVersion: 1, name: 'w', inputs, nodes: [], edges: [] }
}

function issuesOf(run: () => unknown): ValidationError['issues'] {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError)
    return (error as ValidationError).issues
  }
  throw new Error('expected a ValidationError')
}

const workflow = workflowWith({
  subject: { type: 'text', default: 'a cat' },
  count: { type: 'number', default: 2 },
  loud: { type: 'boolean' },
  extra: { type: 'json', default: { k: 1 } },
})

describe('resolveRunInputs', () => {
  it('uses the declared defaults for inputs that are not given', () => {
    expect(resolveRunInputs(workflow, { loud: false })).toEqual({
      subject: 'a cat',
      count: 2,
      loud: false,
      extra: { k: 1 },
    })
  })

  it('lets given values override defaults', () => {
    expect(resolveRunInputs(workflow, { subject: 'a dog', count: 0, loud: true, extra: [1] })).toEqual({
      subject: 'a dog',
      count: 0,
      loud: true,
      extra: [1],
    })
  })

  it('returns an empty object for a workflow without inputs', () => {
    expect(resolveRunInputs(workflowWith({}), {})).toEqual({})
  })

  it('reports a missing input that has no default', () => {
    expect(issuesOf(() => resolveRunInputs(workflow, {}))).toEqual([
      {
        code: 'MISSING_WORKFLOW_INPUT',
        message: 'input "loud" (boolean) has no value and no default',
        path: ['inputs', 'loud'],
        field: 'loud',
      },
    ])
  })

  it('reports an undeclared input, listing the declared ones', () => {
    expect(issuesOf(() => resolveRunInputs(workflow, { loud: true, colour: 'red' }))).toEqual([
      {
        code: 'UNKNOWN_WORKFLOW_INPUT',
        message: 'input "colour" is not declared by the workflow (it declares: subject, count, loud, extra)',
        path: ['inputs', 'colour'],
        field: 'colour',
      },
    ])
    const issues = issuesOf(() => resolveRunInputs(workflowWith({}), { x: 1 }))
    expect(issues[0]?.message).toBe('input "x" is not declared by the workflow')
  })

  it('reports an undeclared input named like an Object.prototype member', () => {
    const issues = issuesOf(() => resolveRunInputs(workflowWith({}), { constructor: 1 }))
    expect(issues).toMatchObject([{ code: 'UNKNOWN_WORKFLOW_INPUT', field: 'constructor' }])
  })

  it('reports missing, unknown and mistyped inputs together in one error', () => {
    let caught: unknown
    try {
      resolveRunInputs(workflow, { count: 'two', subject: 5, nope: 1 })
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ValidationError)
    const error = caught as ValidationError
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.issues.map((issue) => [issue.code, issue.field])).toEqual([
      ['UNKNOWN_WORKFLOW_INPUT', 'nope'],
      ['INVALID_WORKFLOW_INPUT', 'subject'],
      ['INVALID_WORKFLOW_INPUT', 'count'],
      ['MISSING_WORKFLOW_INPUT', 'loud'],
    ])
    expect(error.issues[1]?.message).toBe('input "subject" must be a string')
    expect(error.issues[2]).toMatchObject({
      message: 'input "count" must be a finite number',
      path: ['inputs', 'count'],
    })
    expect(error.message).toContain('(and 3 more problems)')
  })

  it('treats an explicitly undefined value as missing', () => {
    const issues = issuesOf(() => resolveRunInputs(workflow, { loud: undefined }))
    expect(issues.map((issue) => issue.code)).toEqual(['MISSING_WORKFLOW_INPUT'])
  })

  it('checks a mistyped default too', () => {
    const issues = issuesOf(() => resolveRunInputs(workflowWith({ n: { type: 'number', default: 'x' } }), {}))
    expect(issues).toMatchObject([{ code: 'INVALID_WORKFLOW_INPUT', field: 'n' }])
  })
})
