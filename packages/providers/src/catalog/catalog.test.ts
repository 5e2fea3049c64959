import { modelCapabilities, parseModelId } from '@patchbay/core'
import { describe, expect, it } from 'vitest'
import { builtinAdapters } from '../builtin-adapters.ts'
import { ModelCatalog } from './catalog.ts'

describe('the built-in model catalog', () => {
  const catalog = new ModelCatalog()
  const providers = new Set(builtinAdapters({}).map((adapter) => adapter.id))

  it('lists models of every capability, each from a provider Patchbay has', () => {
    for (const capability of modelCapabilities) expect(catalog.list({ capability }).length).toBeGreaterThan(0)
    for (const entry of catalog.list()) expect(providers).toContain(parseModelId(entry.id)?.provider)
  })

  it('prices every model for what it does', () => {
    for (const entry of catalog.list()) {
      const { price } = entry
      if (entry.capabilities.includes('chat')) expect(price.perInputKTokens, entry.id).toBeDefined()
      if (entry.capabilities.includes('image.generate')) expect(price.perImage, entry.id).toBeDefined()
      if (entry.capabilities.includes('video.generate')) expect(price.perSecond, entry.id).toBeDefined()
      if (entry.capabilities.includes('audio.speech')) expect(price.perKCharacters, entry.id).toBeDefined()
      if (entry.capabilities.includes('audio.transcribe')) expect(price.perMinute, entry.id).toBeDefined()
    }
  })

  it('refuses malformed and duplicate entries', () => {
    expect(() => new ModelCatalog([{ id: 'no-slash', title: 'x', capabilities: ['chat'] }])).toThrow()
    const entry = { id: 'a/b', title: 'x', capabilities: ['chat' as const] }
    expect(() => new ModelCatalog([entry, entry])).toThrow(/twice/)
    expect(() => new ModelCatalog([{ ...entry, price: { perBanana: 1 } as never }])).toThrow()
  })

  it('filters by provider and capability', () => {
    const falImages = catalog.list({ provider: 'fal', capability: 'image.generate' })
    expect(falImages.length).toBeGreaterThan(0)
    expect(falImages.every((entry) => entry.id.startsWith('fal/'))).toBe(true)
  })
})
