import type { ErrorInfo, MediaKind, NodeStatus, RunStatus, SkipReason, Workflow } from '@patchbay/core'
import type { assets, nodeExecutions, runs, workflows, workflowVersions } from '../schema.ts'
import type { AssetRecord, NodeExecutionRecord, RunRecord, WorkflowRecord, WorkflowVersionRecord } from '../store.ts'

// Columns hold what the records hold; these give the JSON and text columns their types back.

type JsonObject = Record<string, unknown>

export function toWorkflowRecord(row: typeof workflows.$inferSelect): WorkflowRecord {
  return { ...row, document: row.document as Workflow }
}

export function toVersionRecord(row: typeof workflowVersions.$inferSelect): WorkflowVersionRecord {
  return { ...row, document: row.document as Workflow }
}

export function toRunRecord(row: typeof runs.$inferSelect): RunRecord {
  return {
    id: row.id,
    orgId: row.orgId,
    workflowId: row.workflowId,
    versionId: row.versionId,
    status: row.status as RunStatus,
    inputs: row.inputs as JsonObject,
    scope: row.scope as string[] | null,
    outputs: row.outputs as JsonObject | null,
    error: row.error as ErrorInfo | null,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    cost: row.cost,
  }
}

export function toNodeRecord(row: typeof nodeExecutions.$inferSelect): NodeExecutionRecord {
  return {
    ...row,
    status: row.status as NodeStatus,
    params: row.params as JsonObject | null,
    inputs: row.inputs as JsonObject | null,
    outputs: row.outputs as JsonObject | null,
    error: row.error as ErrorInfo | null,
    skipReason: row.skipReason as SkipReason | null,
  }
}

export function toAssetRecord(row: typeof assets.$inferSelect): AssetRecord {
  const { width, height, durationMs, kind, ...rest } = row
  return {
    ...rest,
    kind: kind as MediaKind,
    ...(width === null ? {} : { width }),
    ...(height === null ? {} : { height }),
    ...(durationMs === null ? {} : { durationMs }),
  }
}
