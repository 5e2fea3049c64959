import { access, readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  type AssetRef,
  type InputValues,
  type ModelGateway,
  type NodeContext,
  type NodeDefinition,
  NodeError,
  type NodeLogger,
  type OutputValues,
  type PortMap,
  unavailableModelGateway,
} from '@patchbay/core'
import { type AssetStore, createNodeAssets, MemoryAssetStore } from '@patchbay/storage'
import type { z } from 'zod'

export interface TestContextOptions {
  /** Directory that relative `ctx.readFile` paths start from (default: the working directory). */
  dir?: string
  /** Where `ctx.assets` keeps bytes (default: a fresh {@link MemoryAssetStore}). */
  store?: AssetStore
  /** Replaces global `fetch` behind `ctx.fetch`. */
  fetch?: typeof fetch
  attempt?: number
  /** Behind `ctx.models` (default: one that refuses every call). */
  models?: ModelGateway
}

export interface ProgressCall {
  fraction: number | null
  message?: string
}

export interface LogCall {
  level: keyof NodeLogger
  message: string
  data?: Record<string, unknown>
}

/** A real {@link NodeContext} plus handles to inspect and steer it from a test. */
export interface TestContext {
  ctx: NodeContext
  store: AssetStore
  /** Aborting it aborts `ctx.signal`. */
  controller: AbortController
  progress: ProgressCall[]
  logs: LogCall[]
  /** References returned by `ctx.assets.put`, in order. */
  stored: AssetRef[]
  /** What `ctx.addCost` added up, in US dollars. */
  readonly cost: number
  /** Removes temporary files the store made. */
  dispose(): Promise<void>
}

/**
 * Builds a {@link NodeContext} for node tests: assets in memory (through the same
 * `createNodeAssets` the engine uses), an abort controller, recorded progress and logs,
 * `readFile` relative to `dir`, and the global `fetch` bound to the signal.
 */
export function createTestContext(options: TestContextOptions = {}): TestContext {
  const controller = new AbortController()
  const store = options.store ?? new MemoryAssetStore()
  const progress: ProgressCall[] = []
  const logs: LogCall[] = []
  const stored: AssetRef[] = []
  const dir = options.dir ?? process.cwd()
  const baseFetch = options.fetch ?? fetch
  let ids = 0
  let cost = 0
  const log = (level: keyof NodeLogger) => (message: string, data?: Record<string, unknown>) =>
    void logs.push({ level, message, ...(data ? { data } : {}) })

  const ctx: NodeContext = {
    runId: 'test-run',
    nodeId: 'test-node',
    orgId: 'test-org',
    attempt: options.attempt ?? 1,
    signal: controller.signal,
    progress: (fraction, message) => void progress.push({ fraction, ...(message === undefined ? {} : { message }) }),
    assets: createNodeAssets({
      store,
      newId: () => `asset-${++ids}`,
      record: ({ storageKey: _key, name: _name, ...ref }) => {
        stored.push(ref)
        return ref
      },
      lookup: async (assetId) => stored.find((ref) => ref.assetId === assetId),
    }),
    log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    localFile: async (path) => {
      const full = resolve(dir, path)
      await access(full).catch(() => {
        throw new NodeError('FILE_NOT_FOUND', `cannot read ${path}: no such file`)
      })
      return full
    },
    readFile: async (path) => {
      const buffer = await readFile(resolve(dir, path))
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    },
    fetch: (url, init) =>
      baseFetch(url, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal,
      }),
    models: options.models ?? unavailableModelGateway(),
    addCost: (usd) => {
      cost += usd
    },
  }
  return {
    ctx,
    store,
    controller,
    progress,
    logs,
    stored,
    get cost() {
      return cost
    },
    dispose: async () => {
      if (store instanceof MemoryAssetStore) await store.dispose()
    },
  }
}

/**
 * Runs a node as the engine would: params parsed by the node's schema (defaults applied,
 * a `ZodError` when invalid), then `run` with the given inputs in `test`'s context.
 *
 * @example
 * const out = await runNode(textJoin, { params: { separator: ', ' }, inputs: { texts: ['a', 'b'] } })
 */
export async function runNode<I extends PortMap, O extends PortMap, P extends z.ZodType>(
  definition: NodeDefinition<I, O, P>,
  args: { params?: z.input<P>; inputs?: InputValues<I> },
  test: TestContext = createTestContext(),
): Promise<OutputValues<O>> {
  const params = definition.params.parse(args.params ?? {})
  return definition.run({ inputs: args.inputs ?? ({} as InputValues<I>), params, ctx: test.ctx })
}
