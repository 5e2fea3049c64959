import { type AnyNodeDefinition, createRegistry, type RunEvent } from '@patchbay/core'
import { MemoryStore, type RunRecord, type Store } from '@patchbay/db'
import { type AssetStore, MemoryAssetStore } from '@patchbay/storage'
import { Engine, type EngineOptions } from '../engine.ts'
import type { StartRunRequest } from '../run-request.ts'

export interface TestEngineOptions extends Partial<Omit<EngineOptions, 'registry'>> {
  nodes: Record<string, AnyNodeDefinition>
}

export interface TestEngine {
  engine: Engine
  store: Store
  assets: AssetStore
  /** Starts a run and resolves when it has finished, with every event it produced. */
  run(request: StartRunRequest): Promise<{ run: RunRecord; events: RunEvent[] }>
  close(): Promise<void>
}

/** An Engine on a memory Store and AssetStore (unless given others), for fast tests. */
export function createTestEngine(options: TestEngineOptions): TestEngine {
  const { nodes, ...rest } = options
  const store = rest.store ?? new MemoryStore()
  const assets = rest.assets ?? new MemoryAssetStore()
  const engine = new Engine({ ...rest, store, assets, registry: createRegistry(nodes) })
  return {
    engine,
    store,
    assets,
    async run(request) {
      const events: RunEvent[] = []
      const started = await engine.startRun({ ...request, onEvent: (event) => events.push(event) })
      const run = await engine.waitForRun(started.orgId, started.id)
      return { run, events }
    },
    async close() {
      await engine.close()
      await store.close()
    },
  }
}
