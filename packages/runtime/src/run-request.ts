import { randomUUID } from 'node:crypto'
import {
  type NodeRegistry,
  NotFoundError,
  RunGraph,
  resolveRunInputs,
  ValidationError,
  validateWorkflow,
  type Workflow,
} from '@patchbay/core'
import {
  DEFAULT_ORG_ID,
  type NodeExecutionRecord,
  pendingNodeExecution,
  type RunRecord,
  type Store,
} from '@patchbay/db'
import { BatchBuilder } from './batch-builder.ts'
import type { RunEventListener } from './event-bus.ts'

export interface StartRunRequest {
  orgId?: string
  /** A workflow document; or give `versionId` to run a saved version. */
  workflow?: unknown
  versionId?: string
  workflowId?: string
  inputs?: Record<string, unknown>
  /** Run only these nodes and what they need upstream (from cache where possible). */
  nodes?: readonly string[]
  /**
   * Receives every event of this run, from `run.started` to `run.finished` (after which it is
   * removed). Subscribed before anything is committed, so no event can be missed.
   */
  onEvent?: RunEventListener
}

export interface PreparedRun {
  run: RunRecord
  graph: RunGraph
  /** Pending rows of every node in scope (written when each first changes state). */
  records: NodeExecutionRecord[]
  workflowName: string
}

/**
 * Validates a run request (workflow, inputs, node selection) and builds the new run, saving
 * the document as an immutable version first when it is not one already. Throws
 * ValidationError with every issue, or NotFoundError for an unknown version.
 */
export async function prepareRun(store: Store, registry: NodeRegistry, request: StartRunRequest): Promise<PreparedRun> {
  const orgId = request.orgId ?? DEFAULT_ORG_ID
  const { workflow, versionId } = await resolveWorkflow(store, registry, orgId, request)
  const inputs = resolveRunInputs(workflow, request.inputs ?? {})
  const unknown = (request.nodes ?? []).filter((id) => !workflow.nodes.some((node) => node.id === id))
  if (unknown.length > 0) {
    throw new ValidationError(
      unknown.map((id) => ({
        code: 'UNKNOWN_NODE',
        message: `node "${id}" is not in the workflow`,
        path: ['nodes'],
        nodeId: id,
      })),
    )
  }
  if (request.nodes && request.nodes.length === 0) {
    throw new ValidationError([
      { code: 'EMPTY_SELECTION', message: 'select at least one node to run', path: ['nodes'] },
    ])
  }
  const graph = RunGraph.from(workflow, registry, request.nodes)
  const now = new Date()
  const run: RunRecord = {
    id: randomUUID(),
    orgId,
    workflowId: request.workflowId ?? null,
    versionId,
    status: 'running',
    inputs,
    scope: request.nodes ? [...request.nodes] : null,
    outputs: null,
    error: null,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    cost: null,
  }
  const records = [...graph.nodes.values()].map(({ node }) => pendingNodeExecution(run.id, node.id, node.type))
  return { run, graph, records, workflowName: workflow.name }
}

/** A new run's first transition: its row and its `run.started` event (node rows follow as they change). */
export function startedBatch({ run, graph, workflowName }: PreparedRun): BatchBuilder {
  return new BatchBuilder()
    .run(run)
    .event(run.id, { type: 'run.started', workflowName, nodeIds: [...graph.nodes.keys()], inputs: run.inputs })
}

async function resolveWorkflow(
  store: Store,
  registry: NodeRegistry,
  orgId: string,
  request: StartRunRequest,
): Promise<{ workflow: Workflow; versionId: string }> {
  if (request.versionId !== undefined) {
    const version = await store.getVersion(orgId, request.versionId)
    if (!version) throw new NotFoundError('workflow version', request.versionId)
    const checked = validateWorkflow(version.document, registry)
    if (!checked.ok) throw new ValidationError(checked.issues)
    return { workflow: checked.workflow, versionId: version.id }
  }
  const checked = validateWorkflow(request.workflow, registry)
  if (!checked.ok) throw new ValidationError(checked.issues)
  const version = await store.saveVersion({
    id: randomUUID(),
    orgId,
    workflowId: request.workflowId ?? null,
    document: checked.workflow,
  })
  return { workflow: checked.workflow, versionId: version.id }
}
