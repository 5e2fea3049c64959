import { type ModelCapability, parseModelId } from '@patchbay/core'
import { builtinModels } from './models.ts'
import { type ModelEntry, type ModelEntryInput, modelEntrySchema } from './schema.ts'

/** The models Patchbay knows by name: capabilities, accepted params and list prices. */
export class ModelCatalog {
  private readonly entries = new Map<string, ModelEntry>()

  constructor(entries: readonly ModelEntryInput[] = builtinModels) {
    for (const input of entries) {
      const entry = modelEntrySchema.parse(input)
      if (this.entries.has(entry.id)) throw new Error(`model catalog lists ${entry.id} twice`)
      this.entries.set(entry.id, entry)
    }
  }

  get(id: string): ModelEntry | undefined {
    return this.entries.get(id)
  }

  list(filter: { capability?: ModelCapability; provider?: string } = {}): ModelEntry[] {
    return [...this.entries.values()].filter(
      (entry) =>
        (!filter.capability || entry.capabilities.includes(filter.capability)) &&
        (!filter.provider || parseModelId(entry.id)?.provider === filter.provider),
    )
  }
}
