import { providerResourceKey } from '@patchbay/core'
import type { ProviderAdapter } from './adapter.ts'

/** A provider as this process reaches it: its adapter and where it lives. */
export interface ProviderEntry {
  adapter: ProviderAdapter
  baseURL: string
  /** No credential needed: a server the operator runs; its models cost nothing. */
  local: boolean
}

/** The providers this process can call, by id (the part of a model id before the first slash). */
export class ProviderDirectory {
  private readonly entries = new Map<string, ProviderEntry>()

  constructor(adapters: readonly ProviderAdapter[], env: NodeJS.ProcessEnv = process.env) {
    for (const adapter of adapters) {
      const baseURL = (env[adapter.baseUrlEnv]?.trim() || adapter.defaultBaseURL).replace(/\/+$/, '')
      const local = !adapter.credentialEnv || adapter.credentialOptional === true
      this.entries.set(adapter.id, { adapter, baseURL, local })
    }
  }

  get(id: string): ProviderEntry | undefined {
    return this.entries.get(id)
  }

  list(): ProviderEntry[] {
    return [...this.entries.values()]
  }

  /**
   * Concurrency per provider as `provider:<id>` resource limits for the engine: each
   * adapter's default, overridden by `PATCHBAY_PROVIDER_CONCURRENCY` (`fal=50,openai=8`).
   */
  concurrencyLimits(env: NodeJS.ProcessEnv = process.env): Record<string, number> {
    const limits: Record<string, number> = {}
    for (const { adapter } of this.entries.values())
      limits[providerResourceKey(adapter.id)] = adapter.defaultConcurrency
    for (const pair of (env.PATCHBAY_PROVIDER_CONCURRENCY ?? '').split(',')) {
      if (!pair.trim()) continue
      const [id, value] = pair.split('=').map((part) => part.trim())
      const limit = Number(value)
      if (!id || !Number.isInteger(limit) || limit <= 0) {
        throw new Error(`PATCHBAY_PROVIDER_CONCURRENCY: "${pair}" is not provider=positive-integer`)
      }
      limits[providerResourceKey(id)] = limit
    }
    return limits
  }
}
