import type { z } from 'zod'
import type { NodeAssets } from './assets.ts'
import type { AssetRef, PortMap, PortSpec } from './data-types.ts'
import type { ModelGateway, ModelUse } from './models.ts'
import type { RetryPolicy } from './retry.ts'

/** The TypeScript type of the value carried by one port (an array for `multiple` inputs). */
export type PortValue<P extends PortSpec> = P['multiple'] extends true ? ItemValue<P>[] : ItemValue<P>

type ItemValue<P extends PortSpec> = P['list'] extends true ? ScalarValue<P['type']>[] : ScalarValue<P['type']>

type ScalarValue<T> = T extends 'text'
  ? string
  : T extends 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'image' | 'video' | 'audio' | 'file'
        ? AssetRef
        : unknown

type RequiredKeys<I extends PortMap> = { [K in keyof I]: I[K]['required'] extends true ? K : never }[keyof I]

/** Values a node receives: required inputs are always present, optional ones may be absent. */
export type InputValues<I extends PortMap> = { [K in RequiredKeys<I>]: PortValue<I[K]> } & {
  [K in Exclude<keyof I, RequiredKeys<I>>]?: PortValue<I[K]>
}

/**
 * Values a node returns. An output left out is *inactive*: edges from it carry nothing and
 * nodes that depend on it alone are skipped (this is how branching nodes choose a path).
 */
export type OutputValues<O extends PortMap> = { [K in keyof O]?: PortValue<O[K]> }

export interface NodeLogger {
  debug(message: string, data?: Record<string, unknown>): void
  info(message: string, data?: Record<string, unknown>): void
  warn(message: string, data?: Record<string, unknown>): void
  error(message: string, data?: Record<string, unknown>): void
}

/** Everything a node may touch while it runs. Nodes do no I/O except through this. */
export interface NodeContext {
  runId: string
  nodeId: string
  orgId: string
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number
  /** Aborted on cancellation or timeout; pass it to every fetch, child process and wait. */
  signal: AbortSignal
  /** Reports progress: a fraction 0–1 (or null when unknown) and an optional message. */
  progress(fraction: number | null, message?: string): void
  assets: NodeAssets
  log: NodeLogger
  /** Reads a local file, relative to the working directory, within the roots the operator allows. */
  readFile(path: string): Promise<Uint8Array>
  /**
   * The absolute path of a local file (relative to the working directory) after the same
   * checks as `readFile`, for tools that stream from disk such as ffmpeg.
   */
  localFile(path: string): Promise<string>
  /** `fetch` under the operator's network policy (no private targets unless allowed), bound to `signal`. */
  fetch(url: string, init?: RequestInit): Promise<Response>
  /** Hosted and local models (text, image, video, speech); their cost is added to this execution. */
  models: ModelGateway
  /** Adds to what this execution cost, in US dollars (the gateway calls it for model calls; 0 records a free call). */
  addCost(usd: number): void
}

export interface NodeDefinition<
  I extends PortMap = PortMap,
  O extends PortMap = PortMap,
  P extends z.ZodType = z.ZodType,
> {
  /** Stable id such as `image.crop`; saved in documents, never renamed. */
  type: string
  /** Bumped when outputs for the same inputs change; part of the cache key. */
  version: number
  category: string
  title: string
  description?: string
  inputs: I
  outputs: O
  params: P
  /**
   * Whether outputs are a pure function of type, version, params and inputs (default true).
   * Return false for randomness or side effects, e.g. a generation without a fixed seed.
   */
  cacheable?: boolean | ((params: z.infer<P>) => boolean)
  /** Default per-attempt time limit. */
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  /** Groups executions that share a concurrency limit, e.g. `provider:openai`. */
  resourceKey?: (params: z.infer<P>) => string | undefined
  /** Makes the node's `value` output a named output of the run. */
  runOutput?: (params: z.infer<P>) => string
  /** The models this node calls with these params (checked and priced before a run starts). */
  models?: (params: z.infer<P>) => ModelUse[]
  run(args: { inputs: InputValues<I>; params: z.infer<P>; ctx: NodeContext }): Promise<OutputValues<O>>
}

/** A node definition with its generic types erased, as the registry and engine hold it. */
export interface AnyNodeDefinition {
  type: string
  version: number
  category: string
  title: string
  description?: string
  inputs: PortMap
  outputs: PortMap
  params: z.ZodType
  cacheable?: boolean | ((params: never) => boolean)
  timeoutMs?: number
  retry?: Partial<RetryPolicy>
  resourceKey?: (params: never) => string | undefined
  runOutput?: (params: never) => string
  models?: (params: never) => ModelUse[]
  run(args: { inputs: never; params: never; ctx: NodeContext }): Promise<Record<string, unknown>>
}

/**
 * Declares a node type. The same definition feeds the palette, the validator, the engine
 * and the docs.
 *
 * @example
 * export default defineNode({
 *   type: 'text.upper', version: 1, category: 'text', title: 'Uppercase',
 *   inputs: { text: { type: 'text', required: true } },
 *   outputs: { text: { type: 'text' } },
 *   params: z.object({}),
 *   async run({ inputs }) { return { text: inputs.text.toUpperCase() } },
 * })
 */
export function defineNode<const I extends PortMap, const O extends PortMap, P extends z.ZodType>(
  definition: NodeDefinition<I, O, P>,
): NodeDefinition<I, O, P> & AnyNodeDefinition {
  return definition as NodeDefinition<I, O, P> & AnyNodeDefinition
}
