import { describe, expect, it } from 'vitest'
import { runNode } from '../testing/test-context.ts'
import { inputText } from './text.ts'

describe('input.text', () => {
  it('outputs its value', async () => {
    expect(await runNode(inputText, { params: { value: 'a ceramic mug' } })).toEqual({ text: 'a ceramic mug' })
  })

  it('defaults to empty text and rejects non-strings', async () => {
    expect(await runNode(inputText, { params: {} })).toEqual({ text: '' })
    expect(inputText.params.safeParse({ value: 42 }).success).toBe(false)
  })
})
