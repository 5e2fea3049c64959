import { z } from '@hono/zod-openapi'
import { nodeStatuses, runStatuses } from '@patchbay/core'
import type { NodeExecutionRecord, RunRecord } from '@patchbay/db'
import { timestamp } from '../api/schemas.ts'

const record = z.record(z.string(), z.unknown())

/** Why a run or node failed (core's ErrorInfo). */
export const runErrorSchema = z
  .object({
    code: z.string().openapi({ example: 'NODE_ERROR' }),
    message: z.string(),
    retryable: z.boolean().optional(),
    details: z.unknown().optional(),
  })
  .openapi('RunError')

/** A run without its nodes: what POST /runs and GET /runs answer. */
export const runSchema = z
  .object({
    id: z.string(),
    workflowId: z.string().nullable().openapi({ description: 'The saved workflow it ran, if any (null once deleted)' }),
    versionId: z.string().openapi({ description: 'The immutable snapshot of the document it ran' }),
    status: z.enum(runStatuses),
    inputs: record,
    scope: z
      .array(z.string())
      .nullable()
      .openapi({ description: 'The nodes it was asked to run (their upstream runs too); null = every node' }),
    outputs: record.nullable().openapi({ description: 'Named outputs, once it has finished (media as asset refs)' }),
    error: runErrorSchema.nullable(),
    cost: z.number().nullable().openapi({ description: 'US dollars spent by its model calls with known prices' }),
    createdAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .openapi('Run')

/** One node of one run; its attempts are counted in place (their history is in the events). */
export const nodeExecutionSchema = z
  .object({
    nodeId: z.string(),
    nodeType: z.string(),
    status: z.enum(nodeStatuses),
    attempt: z.number().int().openapi({ description: '0 until first queued' }),
    params: record.nullable().openapi({ description: 'Resolved params the attempt ran with' }),
    inputs: record.nullable(),
    outputs: record.nullable().openapi({ description: 'Media outputs are asset refs (fetch them from /assets)' }),
    error: runErrorSchema.nullable(),
    skipReason: z.enum(['branch_inactive', 'upstream_failed']).nullable(),
    queuedAt: timestamp.nullable(),
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
    cost: z.number().nullable(),
  })
  .openapi('NodeExecution')

/** A run with every one of its nodes: GET /runs/{id} and POST /runs/{id}/cancel. */
export const runDetailSchema = runSchema
  .extend({
    nodes: z.array(nodeExecutionSchema).openapi({
      description: 'Every node of the run in document order; nodes that have not been considered yet are `pending`',
    }),
  })
  .openapi('RunDetail')

/** The `data` of each event-stream message, for the OpenAPI document. */
export const runEventSchema = z
  .object({
    type: z.string().openapi({ example: 'node.succeeded' }),
    runId: z.string(),
    seq: z.number().int().openapi({ description: 'Per run, from 1, without gaps' }),
    time: timestamp,
  })
  .passthrough()
  .openapi('RunEvent', { description: 'One event of a run (the types are listed in docs/engine.md, “Events”)' })

export type RunJson = z.infer<typeof runSchema>
export type NodeExecutionJson = z.infer<typeof nodeExecutionSchema>
export type RunDetailJson = z.infer<typeof runDetailSchema>

const iso = (date: Date | null) => date?.toISOString() ?? null

/** A run as the API shows it (without its nodes). */
export function runJson(run: RunRecord): RunJson {
  return {
    id: run.id,
    workflowId: run.workflowId,
    versionId: run.versionId,
    status: run.status,
    inputs: run.inputs,
    scope: run.scope,
    outputs: run.outputs,
    error: run.error,
    cost: run.cost,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  }
}

/** One node of a run; bookkeeping (cache key, retry time) stays inside. */
export function nodeExecutionJson(node: NodeExecutionRecord): NodeExecutionJson {
  return {
    nodeId: node.nodeId,
    nodeType: node.nodeType,
    status: node.status,
    attempt: node.attempt,
    params: node.params,
    inputs: node.inputs,
    outputs: node.outputs,
    error: node.error,
    skipReason: node.skipReason,
    queuedAt: iso(node.queuedAt),
    startedAt: iso(node.startedAt),
    finishedAt: iso(node.finishedAt),
    cost: node.cost,
  }
}

/** The run and its nodes (pass every node: `nodesOfRun` synthesizes the pending ones). */
export function runDetailJson(run: RunRecord, nodes: readonly NodeExecutionRecord[]): RunDetailJson {
  return { ...runJson(run), nodes: nodes.map(nodeExecutionJson) }
}
