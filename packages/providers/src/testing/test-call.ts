import type { AssetRef, NodeLogger } from '@patchbay/core'
import { createNodeAssets, MemoryAssetStore } from '@patchbay/storage'
import type { ProviderCall } from '../adapter.ts'

export interface TestCall {
  call: ProviderCall
  /** Aborting it aborts `call.signal`. */
  controller: AbortController
  progress: Array<{ fraction: number | null; message?: string }>
  /** Stores bytes so a test can hand an AssetRef to an adapter (readAsset reads them back). */
  putAsset(bytes: Uint8Array, mime: string): Promise<AssetRef>
}

/** A real {@link ProviderCall} for adapter tests: global fetch bound to an abort signal, fast polling. */
export function createTestCall(overrides: Partial<ProviderCall> & { baseURL: string }): TestCall {
  const controller = new AbortController()
  const assets = createNodeAssets({ store: new MemoryAssetStore() })
  const progress: TestCall['progress'] = []
  const noop = () => {}
  const log: NodeLogger = { debug: noop, info: noop, warn: noop, error: noop }
  const call: ProviderCall = {
    apiKey: 'test-key',
    signal: controller.signal,
    fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? controller.signal }),
    progress: (fraction, message) => void progress.push({ fraction, ...(message === undefined ? {} : { message }) }),
    log,
    readAsset: (ref) => assets.read(ref),
    pollIntervalMs: 10,
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms)
        controller.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer)
            reject(controller.signal.reason)
          },
          { once: true },
        )
      }),
    ...overrides,
  }
  return { call, controller, progress, putAsset: (bytes, mime) => assets.put(bytes, { mime }) }
}
