import { describe, expect, it } from 'vitest'
import { priceOf } from './cost.ts'

describe('priceOf', () => {
  it('prices each unit a model is billed by', () => {
    expect(priceOf({ perImage: 0.04 }, { images: 3 })).toBe(0.12)
    expect(priceOf({ perSecond: 0.4 }, { videoSeconds: 8 })).toBe(3.2)
    expect(priceOf({ perInputKTokens: 0.002, perOutputKTokens: 0.008 }, { inputTokens: 1500, outputTokens: 500 })).toBe(
      0.007,
    )
    expect(priceOf({ perKCharacters: 0.015 }, { characters: 2000 })).toBe(0.03)
    expect(priceOf({ perMinute: 0.006 }, { audioSeconds: 90 })).toBe(0.009)
  })

  it('is unknown without a price, or when usage has a unit the price lacks', () => {
    expect(priceOf(undefined, { images: 1 })).toBeNull()
    expect(priceOf({}, { images: 1 })).toBeNull()
    expect(priceOf({ perImage: 0.04 }, { videoSeconds: 5 })).toBeNull()
  })

  it('costs nothing when nothing was used', () => {
    expect(priceOf({ perImage: 0.04 }, {})).toBe(0)
  })
})
