import { NodeError } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { runNode } from '../testing/test-context.ts'
import { logicCondition } from './condition.ts'

type Params = { operator: 'equals' | 'contains' | 'gt' | 'lt' | 'truthy'; operand?: string | number | boolean }

async function branch(value: unknown, params: Params): Promise<'true' | 'false'> {
  const out = await runNode(logicCondition, { params, inputs: { value } })
  const keys = Object.keys(out)
  expect(keys).toHaveLength(1)
  const key = keys[0] as 'true' | 'false'
  expect(out[key]).toBe(value)
  return key
}

describe('logic.condition', () => {
  it('returns only the taken output, carrying the input value', async () => {
    const value = { nested: [1, 2] }
    const out = await runNode(logicCondition, { params: { operator: 'truthy' }, inputs: { value } })
    expect(out).toEqual({ true: value })
    expect('false' in out).toBe(false)
    const falsy = await runNode(logicCondition, { params: { operator: 'truthy' }, inputs: { value: '' } })
    expect(falsy).toEqual({ false: '' })
    expect('true' in falsy).toBe(false)
  })

  it('equals: numerically when both are numbers, else by exact text', async () => {
    expect(await branch('1.0', { operator: 'equals', operand: 1 })).toBe('true')
    expect(await branch(' 42 ', { operator: 'equals', operand: '42' })).toBe('true')
    expect(await branch(1e3, { operator: 'equals', operand: '1e3' })).toBe('true')
    expect(await branch(2, { operator: 'equals', operand: 3 })).toBe('false')
    expect(await branch('cat', { operator: 'equals', operand: 'cat' })).toBe('true')
    expect(await branch('Cat', { operator: 'equals', operand: 'cat' })).toBe('false')
    expect(await branch(true, { operator: 'equals', operand: 'true' })).toBe('true')
    expect(await branch(false, { operator: 'equals', operand: true })).toBe('false')
    expect(await branch('0x10', { operator: 'equals', operand: 16 })).toBe('false')
    expect(await branch(null, { operator: 'equals', operand: 'null' })).toBe('false')
    expect(await branch(['a'], { operator: 'equals', operand: 'a' })).toBe('false')
  })

  it('contains: substring of text, or an equal item of a list', async () => {
    expect(await branch('a ceramic mug', { operator: 'contains', operand: 'mug' })).toBe('true')
    expect(await branch('a ceramic mug', { operator: 'contains', operand: 'Mug' })).toBe('false')
    expect(await branch(['red', 'green'], { operator: 'contains', operand: 'green' })).toBe('true')
    expect(await branch([1, 2, 3], { operator: 'contains', operand: '2' })).toBe('true')
    expect(await branch([1, 2, 3], { operator: 'contains', operand: 4 })).toBe('false')
    expect(await branch('version 10', { operator: 'contains', operand: 10 })).toBe('true')
  })

  it('contains: fails clearly on values that are neither text nor a list', async () => {
    const run = runNode(logicCondition, { params: { operator: 'contains', operand: 'x' }, inputs: { value: 5 } })
    await expect(run).rejects.toBeInstanceOf(NodeError)
    await expect(run).rejects.toMatchObject({ code: 'INVALID_CONDITION_INPUT', retryable: false })
    await expect(run).rejects.toThrow(/needs text or a list, got 5/)
  })

  it('gt and lt compare numbers, including numeric text', async () => {
    expect(await branch(5, { operator: 'gt', operand: 3 })).toBe('true')
    expect(await branch('5', { operator: 'gt', operand: '10' })).toBe('false')
    expect(await branch(3, { operator: 'gt', operand: 3 })).toBe('false')
    expect(await branch(-1.5, { operator: 'lt', operand: 0 })).toBe('true')
    expect(await branch('2.5', { operator: 'lt', operand: 2 })).toBe('false')
  })

  it('gt and lt fail with a clear NodeError when a side is not a number', async () => {
    const notNumber = runNode(logicCondition, { params: { operator: 'gt', operand: 1 }, inputs: { value: 'many' } })
    await expect(notNumber).rejects.toMatchObject({ code: 'INVALID_CONDITION_INPUT', retryable: false })
    await expect(notNumber).rejects.toThrow('"gt" compares numbers, but the value is "many"')
    const badOperand = runNode(logicCondition, { params: { operator: 'lt', operand: 'ten' }, inputs: { value: 3 } })
    await expect(badOperand).rejects.toThrow('"lt" compares numbers, but the operand is "ten"')
    const bool = runNode(logicCondition, { params: { operator: 'lt', operand: 1 }, inputs: { value: true } })
    await expect(bool).rejects.toBeInstanceOf(NodeError)
  })

  it('truthy: non-empty text and lists, non-zero numbers, true, objects', async () => {
    const truthy = ['x', 'false', [0], 1, -0.5, true, { a: 1 }, {}]
    const falsy = ['', [], 0, Number.NaN, false, null]
    for (const value of truthy) expect(await branch(value, { operator: 'truthy' })).toBe('true')
    for (const value of falsy) expect(await branch(value, { operator: 'truthy' })).toBe('false')
  })

  it('defaults to truthy and requires an operand for the other operators', () => {
    expect(logicCondition.params.parse({})).toEqual({ operator: 'truthy' })
    for (const operator of ['equals', 'contains', 'gt', 'lt'] as const) {
      const result = logicCondition.params.safeParse({ operator })
      expect(result.success).toBe(false)
      expect(result.error?.issues[0]).toMatchObject({ path: ['operand'], message: expect.stringMatching(/operand/) })
    }
    expect(logicCondition.params.safeParse({ operator: 'equals', operand: '' }).success).toBe(true)
    expect(logicCondition.params.safeParse({ operator: 'between', operand: 1 }).success).toBe(false)
    expect(logicCondition.params.safeParse({ operator: 'equals', operand: { a: 1 } }).success).toBe(false)
  })
})
