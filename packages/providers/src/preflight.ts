import type { ModelUse, NodeRegistry, ValidationIssue, Workflow } from '@patchbay/core'
import { PatchbayError } from '@patchbay/core'
import type { ModelEntry } from './catalog/schema.ts'
import type { Gateway } from './gateway.ts'

/** One model call a workflow will make, found from its nodes' params. */
export interface PlannedCall {
  nodeId: string
  /** Position of the node in the document, for issue paths. */
  index: number
  nodeType: string
  use: ModelUse
}

/** Every model call the workflow's nodes declare (nodes whose params do not parse are left to the validator). */
export function plannedCalls(workflow: Workflow, registry: NodeRegistry, only?: ReadonlySet<string>): PlannedCall[] {
  const calls: PlannedCall[] = []
  for (const [index, node] of workflow.nodes.entries()) {
    if (only && !only.has(node.id)) continue
    const definition = registry.get(node.type)
    if (!definition?.models) continue
    const params = definition.params.safeParse(node.params ?? {})
    if (!params.success) continue
    for (const use of (definition.models as (p: unknown) => ModelUse[])(params.data)) {
      calls.push({ nodeId: node.id, index, nodeType: node.type, use })
    }
  }
  return calls
}

/**
 * Checks a workflow's model calls before it runs: the provider exists and offers the
 * capability, its credential is set (the message names the variable), and params fall in the
 * ranges the catalog lists. Models outside the catalog pass (their cost is unknown).
 */
export async function checkModels(args: {
  workflow: Workflow
  registry: NodeRegistry
  gateway: Gateway
  orgId: string
  only?: ReadonlySet<string>
}): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = []
  const missing = new Map<string, ValidationIssue>()
  for (const { nodeId, index, use } of plannedCalls(args.workflow, args.registry, args.only)) {
    const path = ['nodes', index, 'params', 'model']
    let resolved: ReturnType<Gateway['resolve']>
    try {
      resolved = args.gateway.resolve(use.model)
    } catch (error) {
      const code = error instanceof PatchbayError ? error.code : 'INVALID_MODEL_ID'
      issues.push({ code, message: (error as Error).message, nodeId, path })
      continue
    }
    const { adapter } = resolved.entry
    if (!(await args.gateway.hasCredential(resolved.entry, args.orgId)) && adapter.credentialEnv) {
      // One issue per missing variable, however many nodes need it.
      const known = missing.get(adapter.credentialEnv)
      if (known) continue
      const issue: ValidationIssue = {
        code: 'MISSING_CREDENTIAL',
        message: `node "${nodeId}" uses ${use.model}: set ${adapter.credentialEnv} to call ${adapter.title}`,
        nodeId,
        path,
        details: { variable: adapter.credentialEnv, provider: adapter.id },
      }
      missing.set(adapter.credentialEnv, issue)
      issues.push(issue)
    }
    const entry = args.gateway.catalog.get(use.model)
    if (entry) issues.push(...paramIssues(entry, use, nodeId, index))
  }
  return issues
}

function paramIssues(entry: ModelEntry, use: ModelUse, nodeId: string, index: number): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const problem = (param: string, message: string) =>
    issues.push({
      code: 'INVALID_MODEL_PARAM',
      message: `node "${nodeId}": ${entry.id} ${message}`,
      nodeId,
      path: ['nodes', index, 'params', param],
      field: param,
    })
  const { params } = entry
  if (!entry.capabilities.includes(use.capability)) {
    problem('model', `cannot do ${use.capability} (it does ${entry.capabilities.join(', ')})`)
    return issues
  }
  const oneOf = (
    param: string,
    value: string | number | undefined,
    allowed: readonly (string | number)[] | undefined,
  ) => {
    if (value !== undefined && allowed && !allowed.includes(value)) {
      problem(param, `does not accept ${param} ${value} (accepts ${allowed.join(', ')})`)
    }
  }
  oneOf('aspectRatio', use.aspectRatio, params.aspectRatios)
  oneOf('size', use.size, params.sizes)
  oneOf('resolution', use.resolution, params.resolutions)
  oneOf('voice', use.voice, params.voices)
  oneOf('durationSeconds', use.seconds, params.durations)
  if (use.images !== undefined && params.maxImages !== undefined && use.images > params.maxImages) {
    problem('n', `returns at most ${params.maxImages} image(s) per call`)
  }
  if (use.maxOutputTokens !== undefined && params.maxOutputTokens && use.maxOutputTokens > params.maxOutputTokens) {
    problem('maxTokens', `replies with at most ${params.maxOutputTokens} tokens`)
  }
  const range = params.temperature
  if (use.temperature !== undefined && range && (use.temperature < range.min || use.temperature > range.max)) {
    problem('temperature', `takes a temperature from ${range.min} to ${range.max}`)
  }
  if (use.firstFrame && params.firstFrame === false) problem('model', 'cannot start from an image')
  if (use.lastFrame && !params.lastFrame && params.lastFrame !== undefined)
    problem('model', 'cannot end on a given frame')
  return issues
}

/** A workflow's estimated cost, call by call. */
export interface CostEstimate {
  /** Sum of the calls whose cost is known. */
  total: number
  /** Some calls could not be priced (unknown model, or cost depends on data not known yet). */
  incomplete: boolean
  calls: Array<PlannedCall & { cost: number | null; basis: string }>
}

/** Assumed when a chat reply's length is not capped. */
const assumedReplyTokens = 1000
/** Assumed prompt size: the prompt text usually comes from upstream nodes, unknown before a run. */
const assumedPromptTokens = 500

/** Prices a workflow before it runs, from the catalog and each node's params. */
export function estimateCost(args: {
  workflow: Workflow
  registry: NodeRegistry
  gateway: Gateway
  only?: ReadonlySet<string>
}): CostEstimate {
  const calls = plannedCalls(args.workflow, args.registry, args.only).map((call) => ({
    ...call,
    ...estimateCall(args.gateway, call.use),
  }))
  return {
    total: calls.reduce((sum, call) => sum + (call.cost ?? 0), 0),
    incomplete: calls.some((call) => call.cost === null),
    calls,
  }
}

function estimateCall(gateway: Gateway, use: ModelUse): { cost: number | null; basis: string } {
  const entry = gateway.catalog.get(use.model)
  switch (use.capability) {
    case 'chat': {
      const reply = use.maxOutputTokens ?? assumedReplyTokens
      const cost = gateway.priceOf(use.model, { inputTokens: assumedPromptTokens, outputTokens: reply })
      return { cost, basis: `~${assumedPromptTokens} prompt + ${reply} reply tokens` }
    }
    case 'image.generate':
    case 'image.edit': {
      const images = use.images ?? 1
      return { cost: gateway.priceOf(use.model, { images }), basis: `${images} image${images === 1 ? '' : 's'}` }
    }
    case 'video.generate': {
      const seconds = use.seconds ?? entry?.params.defaultDuration
      if (seconds === undefined) return { cost: null, basis: 'video length unknown' }
      return { cost: gateway.priceOf(use.model, { videoSeconds: seconds }), basis: `${seconds} s of video` }
    }
    case 'audio.speech':
      return localOrUnknown(gateway, use.model, 'priced per character of text, known when it runs')
    case 'audio.transcribe':
      return localOrUnknown(gateway, use.model, 'priced per minute of audio, known when it runs')
  }
}

function localOrUnknown(gateway: Gateway, model: string, basis: string): { cost: number | null; basis: string } {
  return gateway.isLocal(model) ? { cost: 0, basis: 'local model' } : { cost: null, basis }
}
