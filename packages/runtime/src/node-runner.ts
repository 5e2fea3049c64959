import {
  type AnyNodeDefinition,
  CanceledError,
  isAssetRef,
  type NodeContext,
  NodeError,
  type PortSpec,
  TimeoutError,
} from '@patchbay/core'

/**
 * Runs one attempt of a node: enforces the time limit, returns as soon as the attempt is
 * aborted even if the node ignores its signal, and checks what the node returned.
 */
export async function runAttempt(args: {
  definition: AnyNodeDefinition
  params: unknown
  inputs: Record<string, unknown>
  ctx: NodeContext
  controller: AbortController
  timeoutMs: number | undefined
}): Promise<Record<string, unknown>> {
  const { definition, ctx, controller, timeoutMs } = args
  const timer =
    timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs)
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(controller.signal))
    if (controller.signal.aborted) onAbort()
    else controller.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    const run = definition.run as (a: { inputs: unknown; params: unknown; ctx: NodeContext }) => Promise<unknown>
    const outputs = await Promise.race([run({ inputs: args.inputs, params: args.params, ctx }), aborted])
    return checkOutputs(definition, outputs)
  } catch (error) {
    // A node that rejects because its signal fired reports the abort's reason, not its own.
    throw controller.signal.aborted ? abortReason(controller.signal) : error
  } finally {
    if (timer) clearTimeout(timer)
    if (onAbort) controller.signal.removeEventListener('abort', onAbort)
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new CanceledError()
}

/** Drops absent outputs and refuses undeclared ones or inline media (media must be AssetRefs). */
function checkOutputs(definition: AnyNodeDefinition, outputs: unknown): Record<string, unknown> {
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new NodeError(
      'INVALID_OUTPUT',
      `node type ${definition.type} returned ${typeof outputs} instead of an object`,
    )
  }
  const result: Record<string, unknown> = {}
  for (const [handle, value] of Object.entries(outputs)) {
    if (value === undefined) continue
    const spec = definition.outputs[handle]
    if (!spec)
      throw new NodeError('INVALID_OUTPUT', `node type ${definition.type} returned an undeclared output "${handle}"`)
    assertMediaIsReference(definition.type, handle, spec, value)
    result[handle] = value
  }
  return result
}

function assertMediaIsReference(type: string, handle: string, spec: PortSpec, value: unknown): void {
  if (spec.type !== 'image' && spec.type !== 'video' && spec.type !== 'audio' && spec.type !== 'file') return
  const items = spec.list ? (Array.isArray(value) ? value : [value]) : [value]
  if (!items.every(isAssetRef)) {
    throw new NodeError(
      'INVALID_OUTPUT',
      `node type ${type} output "${handle}" must be an asset reference (store bytes with ctx.assets.put)`,
    )
  }
}
