import { describe, expect, it } from 'vitest'
import { runNode } from '../testing/test-context.ts'
import { output } from './output.ts'

describe('output', () => {
  it('passes its value through and names the run output', async () => {
    const value = { caption: 'hi', score: 3 }
    expect(await runNode(output, { params: { name: 'caption' }, inputs: { value } })).toEqual({ value })
    expect(output.runOutput?.(output.params.parse({ name: 'final_image-2' }))).toBe('final_image-2')
  })

  it('accepts only identifier-like names', () => {
    for (const name of ['result', 'a_b', 'A-1', '0']) expect(output.params.safeParse({ name }).success).toBe(true)
    for (const name of ['', 'has space', 'dot.name', 'slash/x', 'é', 'x'.repeat(65)]) {
      expect(output.params.safeParse({ name }).success).toBe(false)
    }
    const error = output.params.safeParse({ name: 'a b' }).error
    expect(error?.issues[0]?.message).toMatch(/letters, digits/)
  })
})
