import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, hashValue, sha256Hex } from './canonical.ts'

/** The same value with the keys of every object, at every depth, in a shuffled order. */
function reorder(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, random))
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]]
    }
    const out: Record<string, unknown> = {}
    for (const [key, item] of entries)
      Object.defineProperty(out, key, {
        value: reorder(item, random),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    return out
  }
  return value
}

/** A small deterministic PRNG (mulberry32), so a failing shuffle replays from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('canonicalJson', () => {
  it('sorts object keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } })).toBe('{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}')
  })

  it('is independent of key order', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: null } })).toBe(canonicalJson({ y: { q: null, p: true }, x: 1 }))
  })

  it('drops undefined object members, like JSON', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}')
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }))
  })

  it('keeps array order and writes undefined array items as null', () => {
    expect(canonicalJson([3, 1, undefined, 2])).toBe('[3,1,null,2]')
  })

  it('serializes scalars as JSON does', () => {
    for (const value of ['text', 1.5, 0, true, null]) expect(canonicalJson(value)).toBe(JSON.stringify(value))
  })

  it('keeps every own member, including one named __proto__', () => {
    // JSON.parse makes "__proto__" an ordinary own property; it must not be lost or collide.
    const value = JSON.parse('{"__proto__":{"x":1},"a":2}')
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}')
    expect(hashValue(value)).not.toBe(hashValue({ a: 2 }))
  })
})

describe('hashValue', () => {
  it('is the sha256 of the canonical JSON', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hashValue({ b: 1, a: 2 })).toBe(sha256Hex('{"a":2,"b":1}'))
    expect(hashValue('x')).toMatch(/^[0-9a-f]{64}$/)
  })

  it('tells different values apart', () => {
    expect(hashValue({ a: 1 })).not.toBe(hashValue({ a: '1' }))
    expect(hashValue([1, 2])).not.toBe(hashValue([2, 1]))
  })

  it('has a test shuffle that really reorders keys', () => {
    const value = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }
    const orders = new Set(
      [1, 2, 3, 4, 5].map((seed) => Object.keys(reorder(value, seededRandom(seed)) as object).join('')),
    )
    expect(orders.size).toBeGreaterThan(1)
  })

  it('never changes when object keys are shuffled (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const shuffled = reorder(value, seededRandom(seed))
        expect(shuffled).toEqual(value)
        expect(hashValue(shuffled)).toBe(hashValue(value))
        expect(canonicalJson(shuffled)).toBe(canonicalJson(value))
      }),
    )
  })
})
