import { describe, expect, it } from 'vitest'
import { runNode } from '../testing/test-context.ts'
import { textJoin } from './join.ts'

describe('text.join', () => {
  it('joins in edge order with a newline by default', async () => {
    expect(await runNode(textJoin, { inputs: { texts: ['first', 'second', 'third'] } })).toEqual({
      text: 'first\nsecond\nthird',
    })
  })

  it('uses the separator param', async () => {
    const out = await runNode(textJoin, { params: { separator: ' | ' }, inputs: { texts: ['b', 'a', 'c'] } })
    expect(out.text).toBe('b | a | c')
  })

  it('handles a single text and values that arrive through "any" outputs', async () => {
    expect((await runNode(textJoin, { inputs: { texts: ['only'] } })).text).toBe('only')
    const mixed = ['n=', 3, null, { a: 1 }, true] as unknown as string[]
    expect((await runNode(textJoin, { params: { separator: '' }, inputs: { texts: mixed } })).text).toBe(
      'n=3{"a":1}true',
    )
  })
})
