import {
  type AnyNodeDefinition,
  CanceledError,
  isAssetRef,
  type NodeContext,
  NodeError,
  type PortSpec,
  TimeoutError,
  toErrorInfo,
} from '@patchbay/core'
import type { AttemptContext } from './node-context.ts'
import type { AttemptResult } from './run-steps.ts'

/**
 * Runs one attempt of a node: enforces the time limit, returns as soon as the attempt is
 * aborted even if the node ignores its signal, and checks what the node returned. The node
 * runs inside the attempt's secret scope, and what comes out (outputs, or the error as
 * `ErrorInfo`) is scrubbed of every credential value it looked up: both engines record the
 * outcome from here, so nothing a provider echoed reaches an event, a stored row or a log.
 */
export async function runAttempt(args: {
  definition: AnyNodeDefinition
  params: unknown
  inputs: Record<string, unknown>
  attempt: AttemptContext
  controller: AbortController
  timeoutMs: number | undefined
}): Promise<AttemptResult> {
  const { secrets } = args.attempt
  try {
    const outputs = await secrets.run(() => runNode(args))
    return { outputs: secrets.scrubOutputs(outputs) }
  } catch (failure) {
    return { failure, error: secrets.scrubValue(toErrorInfo(failure)) }
  }
}

async function runNode(args: {
  definition: AnyNodeDefinition
  params: unknown
  inputs: Record<string, unknown>
  attempt: AttemptContext
  controller: AbortController
  timeoutMs: number | undefined
}): Promise<Record<string, unknown>> {
  const { definition, controller, timeoutMs } = args
  const { ctx } = args.attempt
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
