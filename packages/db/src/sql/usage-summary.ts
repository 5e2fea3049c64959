import { type AnyColumn, and, eq, gte, lt, sql } from 'drizzle-orm'
import { nodeExecutions, runs, workflows } from '../schema.ts'
import { checkPeriod, compareModelUsage, providerOf, type UsageQuery, type UsageSummary } from '../usage.ts'
import type { SqlDatabase } from './database.ts'

// Three GROUP BY statements over the period's runs (found through runs_org_created_idx), their
// node executions joined by the primary key's run_id prefix: no row leaves the database.

const count = (condition = sql`true`) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number)
const total = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number)
/** The node's `model` param when it is a string, else null. */
const modelParam = sql<
  string | null
>`case when jsonb_typeof(${nodeExecutions.params} -> 'model') = 'string' then ${nodeExecutions.params} ->> 'model' end`

/** {@link Store.usageSummary} on SQL. */
export async function usageSummary(db: SqlDatabase, query: UsageQuery): Promise<UsageSummary> {
  checkPeriod(query)
  const inPeriod = and(eq(runs.orgId, query.orgId), gte(runs.createdAt, query.from), lt(runs.createdAt, query.to))
  const day = sql<string>`to_char(${runs.createdAt} at time zone 'UTC', 'YYYY-MM-DD')`
  const workflowCost = total(runs.cost)
  const workflowRuns = count()

  const [days, byWorkflow, byModel] = await Promise.all([
    db
      .select({
        date: day,
        runs: count(),
        succeeded: count(sql`${runs.status} = 'succeeded'`),
        failed: count(sql`${runs.status} = 'failed'`),
        canceled: count(sql`${runs.status} = 'canceled'`),
        active: count(sql`${runs.status} in ('queued', 'running')`),
        cost: total(runs.cost),
      })
      .from(runs)
      .where(inPeriod)
      .groupBy(day)
      .orderBy(day),
    db
      .select({ workflowId: runs.workflowId, name: workflows.name, runs: workflowRuns, cost: workflowCost })
      .from(runs)
      .leftJoin(workflows, and(eq(workflows.id, runs.workflowId), eq(workflows.orgId, runs.orgId)))
      .where(inPeriod)
      .groupBy(runs.workflowId, workflows.name)
      .orderBy(
        sql`${workflowCost} desc`,
        sql`${workflowRuns} desc`,
        sql`${runs.workflowId} collate "C" asc nulls last`,
      ),
    // Grouped by model with null for nodes without one, so the same statement counts them all.
    db
      .select({
        model: modelParam,
        executions: count(),
        calls: sql<number>`coalesce(sum(${nodeExecutions.attempt}), 0)`.mapWith(Number),
        cost: total(nodeExecutions.cost),
      })
      .from(nodeExecutions)
      .innerJoin(runs, eq(runs.id, nodeExecutions.runId))
      .where(and(inPeriod, sql`${nodeExecutions.startedAt} is not null`))
      .groupBy(modelParam),
  ])

  const sum = (pick: (row: (typeof days)[number]) => number) => days.reduce((acc, row) => acc + pick(row), 0)
  return {
    runs: {
      total: sum((row) => row.runs),
      succeeded: sum((row) => row.succeeded),
      failed: sum((row) => row.failed),
      canceled: sum((row) => row.canceled),
      active: sum((row) => row.active),
    },
    cost: sum((row) => row.cost),
    nodeExecutions: byModel.reduce((acc, row) => acc + row.executions, 0),
    days: days.map((row) => ({ date: row.date, runs: row.runs, cost: row.cost })),
    workflows: byWorkflow.map((row) => ({
      workflowId: row.workflowId,
      name: row.workflowId === null ? null : row.name,
      runs: row.runs,
      cost: row.cost,
    })),
    models: byModel
      .flatMap((row) =>
        row.model === null
          ? []
          : [{ model: row.model, provider: providerOf(row.model), calls: row.calls, cost: row.cost }],
      )
      .sort(compareModelUsage),
  }
}
