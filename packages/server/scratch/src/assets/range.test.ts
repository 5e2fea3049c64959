import { describe, expect, it } from 'vitest'
import { parseRange } from './range.ts'

describe('parseRange', () => {
  it('reads single ranges: closed, open and suffix, clipped to the size', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ kind: 'range', start: 0, end: 99 })
    expect(parseRange('bytes=990-2000', 1000)).toEqual({ kind: 'range', start: 990, end: 999 })
    expect(parseRange('bytes=500-', 1000)).toEqual({ kind: 'range', start: 500, end: 999 })
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'range', start: 900, end: 999 })
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'range', start: 0, end: 999 })
    expect(parseRange(' bytes= 7-7 ', 1000)).toEqual({ kind: 'range', start: 7, end: 7 })
  })

  it('calls ranges that select no byte unsatisfiable', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=1000-1001', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' })
  })

  it('answers the whole body for no, several, other-unit or malformed ranges', () => {
    for (const header of [
      undefined,
      '',
      'bytes=0-1,3-4',
      'items=0-5',
      'bytes=5-1',
      'bytes=-',
      'bytes=a-b',
      'bytes=1.5-2',
      `bytes=0-${'9'.repeat(30)}`,
    ]) {
      expect(parseRange(header, 1000)).toEqual({ kind: 'whole' })
    }
  })
})
