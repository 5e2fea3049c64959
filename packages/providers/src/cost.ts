import type { ModelPrice } from './catalog/schema.ts'

/** What a call consumed, in the units providers bill by. */
export interface Usage {
  images?: number
  videoSeconds?: number
  inputTokens?: number
  outputTokens?: number
  characters?: number
  audioSeconds?: number
}

/**
 * The price of `usage` at `price`, in US dollars, or null when the model's price for what
 * was used is unknown (a model outside the catalog, or usage the price does not cover).
 */
export function priceOf(price: ModelPrice | undefined, usage: Usage): number | null {
  if (!price) return null
  let total = 0
  let priced = false
  const add = (amount: number | undefined, rate: number | undefined, per = 1) => {
    if (amount === undefined || amount <= 0) return
    if (rate === undefined) {
      total = Number.NaN
      return
    }
    total += (amount / per) * rate
    priced = true
  }
  add(usage.images, price.perImage)
  add(usage.videoSeconds, price.perSecond)
  add(usage.inputTokens, price.perInputKTokens, 1000)
  add(usage.outputTokens, price.perOutputKTokens, 1000)
  add(usage.characters, price.perKCharacters, 1000)
  add(usage.audioSeconds, price.perMinute, 60)
  if (Number.isNaN(total)) return null
  // A local model (price all zero) is known to cost nothing.
  return priced ? roundMicros(total) : Object.values(price).length > 0 ? 0 : null
}

/** Rounds to a millionth of a dollar so sums do not print float noise. */
export function roundMicros(usd: number): number {
  return Math.round(usd * 1e6) / 1e6
}
