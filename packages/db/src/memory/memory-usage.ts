import type { NodeExecutionRecord, RunRecord } from '../store.ts'
import {
  compareModelUsage,
  compareWorkflowUsage,
  providerOf,
  type UsageByModel,
  type UsageByWorkflow,
  type UsageDay,
  type UsageQuery,
  type UsageSummary,
} from '../usage.ts'
import { getOrAdd } from './get-or-add.ts'

/**
 * What the SQL stores' GROUP BY statements compute, over the memory store's records: `runs` are
 * every run the store holds, `nodesOf` a run's node executions, `nameOf` a workflow's name.
 */
export function summarizeUsage(
  query: UsageQuery,
  runs: Iterable<RunRecord>,
  nodesOf: (runId: string) => Iterable<NodeExecutionRecord>,
  nameOf: (workflowId: string, orgId: string) => string | undefined,
): UsageSummary {
  const from = query.from.getTime()
  const to = query.to.getTime()
  const summary: UsageSummary = {
    runs: { total: 0, succeeded: 0, failed: 0, canceled: 0, active: 0 },
    cost: 0,
    nodeExecutions: 0,
    days: [],
    workflows: [],
    models: [],
  }
  const days = new Map<string, UsageDay>()
  const workflows = new Map<string | null, UsageByWorkflow>()
  const models = new Map<string, UsageByModel>()

  for (const run of runs) {
    const created = run.createdAt.getTime()
    if (run.orgId !== query.orgId || created < from || created >= to) continue
    const cost = run.cost ?? 0
    summary.runs.total++
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled') summary.runs[run.status]++
    else summary.runs.active++
    summary.cost += cost

    const date = run.createdAt.toISOString().slice(0, 10)
    const day = getOrAdd(days, date, () => ({ date, runs: 0, cost: 0 }))
    day.runs++
    day.cost += cost

    const { workflowId } = run
    const workflow = getOrAdd(workflows, workflowId, () => ({
      workflowId,
      name: workflowId === null ? null : (nameOf(workflowId, run.orgId) ?? null),
      runs: 0,
      cost: 0,
    }))
    workflow.runs++
    workflow.cost += cost

    for (const node of nodesOf(run.id)) {
      if (node.startedAt === null) continue
      summary.nodeExecutions++
      const model = node.params?.model
      if (typeof model !== 'string') continue
      const usage = getOrAdd(models, model, () => ({ model, provider: providerOf(model), calls: 0, cost: 0 }))
      usage.calls += node.attempt
      usage.cost += node.cost ?? 0
    }
  }

  summary.days = [...days.values()].sort((a, b) => (a.date < b.date ? -1 : 1))
  summary.workflows = [...workflows.values()].sort(compareWorkflowUsage)
  summary.models = [...models.values()].sort(compareModelUsage)
  return summary
}
