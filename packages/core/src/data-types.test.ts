import { describe, expect, it } from 'vitest'
import { isCompatible } from './data-types.ts'

describe('isCompatible', () => {
  it('matches equal types and list-ness, and any with everything', () => {
    expect(isCompatible({ type: 'image' }, { type: 'image' })).toBe(true)
    expect(isCompatible({ type: 'image', list: true }, { type: 'image', list: true })).toBe(true)
    expect(isCompatible({ type: 'text' }, { type: 'image' })).toBe(false)
    expect(isCompatible({ type: 'any' }, { type: 'video' })).toBe(true)
  })

  it('lets a list feed a port that collects many single values, but not a single-value port', () => {
    expect(isCompatible({ type: 'image', list: true }, { type: 'image', multiple: true })).toBe(true)
    expect(isCompatible({ type: 'image', list: true }, { type: 'image' })).toBe(false)
    expect(isCompatible({ type: 'image' }, { type: 'image', list: true })).toBe(false)
    expect(isCompatible({ type: 'text', list: true }, { type: 'image', multiple: true })).toBe(false)
  })
})
