import { type NodeRegistry, RunGraph, validateWorkflow } from '@patchbay/core'
import {
  type NodeExecutionRecord,
  pendingNodeExecution,
  type RunRecord,
  type Store,
  type TransitionBatch,
} from '@patchbay/db'
import { ActiveRun } from './active-run.ts'
import { BatchBuilder } from './batch-builder.ts'
import type { Logger } from './logger.ts'
import type { RunDriver } from './run-driver.ts'

export interface RecoveryHooks {
  store: Store
  registry: NodeRegistry
  driver: RunDriver
  logger: Logger
  adopt(run: ActiveRun): void
}

/**
 * Rebuilds an unfinished run from the Store and drives it on: finished nodes keep their
 * outputs, lost attempts are retried, and whatever became ready is decided again.
 */
export async function recoverRun({ run, engine }: { run: RunRecord; engine: RecoveryHooks }): Promise<void> {
  const { store, registry, driver, logger } = engine
  const version = await store.getVersion(run.orgId, run.versionId)
  const checked = version ? validateWorkflow(version.document, registry) : undefined
  if (!checked?.ok) {
    const message = !version
      ? `workflow version ${run.versionId} is missing`
      : `the workflow no longer validates: ${checked?.ok === false ? checked.issues.map((i) => i.message).join('; ') : ''}`
    logger.error('cannot resume run', { runId: run.id, reason: message })
    await store.commit(unrecoverableRunBatch(run, await store.listNodeExecutions(run.id), message))
    return
  }
  const graph = RunGraph.from(checked.workflow, registry, run.scope ?? undefined)
  const stored = new Map((await store.listNodeExecutions(run.id)).map((record) => [record.nodeId, record]))
  const records: NodeExecutionRecord[] = []
  for (const { node } of graph.nodes.values()) {
    records.push(stored.get(node.id) ?? pendingNodeExecution(run.id, node.id, node.type))
  }
  const batch = new BatchBuilder()
  const resumed: RunRecord = { ...run, status: 'running', startedAt: run.startedAt ?? new Date() }
  if (run.status !== 'running') batch.run(resumed)
  const active = new ActiveRun(resumed, graph, records)
  engine.adopt(active)
  const dispatches = records.flatMap((record) => driver.recoverAttempt(active, record, batch) ?? [])
  logger.info('resuming run', { runId: run.id, redispatched: dispatches.length })
  await driver.advance(active, graph.nodes.keys(), batch, dispatches)
}

/**
 * Fails a run whose workflow can no longer be rebuilt (its version vanished or stopped
 * validating): the run's row and its `run.finished`, its cost what its nodes spent.
 */
export function unrecoverableRunBatch(
  run: RunRecord,
  nodes: readonly NodeExecutionRecord[],
  message: string,
): TransitionBatch {
  const finishedAt = new Date()
  const error = { code: 'RECOVERY_FAILED', message }
  const cost = nodes.reduce((sum, node) => sum + (node.cost ?? 0), 0)
  return {
    runs: [{ ...run, status: 'failed', error, finishedAt, cost }],
    events: [
      {
        type: 'run.finished',
        runId: run.id,
        time: finishedAt.toISOString(),
        status: 'failed',
        outputs: {},
        error,
        durationMs: finishedAt.getTime() - (run.startedAt ?? run.createdAt).getTime(),
        cost,
      },
    ],
  }
}
