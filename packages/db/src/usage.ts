// What an organisation ran and spent in a period: the records of `Store.usageSummary`, and
// what every sibling shares (the period check, the order of the breakdowns).

import { compareBytes } from './byte-order.ts'

/** Runs created at or after `from` and before `to` (a half-open period). */
export interface UsageQuery {
  orgId: string
  from: Date
  /** Exclusive. */
  to: Date
}

/** Runs and spend of one UTC day. */
export interface UsageDay {
  /** `YYYY-MM-DD`, in UTC. */
  date: string
  runs: number
  /** US dollars (from `RunRecord.cost`). */
  cost: number
}

/** Runs and spend of one workflow; `workflowId` null gathers runs of deleted or unsaved workflows. */
export interface UsageByWorkflow {
  workflowId: string | null
  /** The workflow's current name; null with `workflowId`. */
  name: string | null
  runs: number
  cost: number
}

/** Model calls and their spend: node executions whose params name a `model`. */
export interface UsageByModel {
  /** `provider/model`, e.g. `openai/gpt-4o-mini`. */
  model: string
  /** The part of `model` before its first `/` (the whole id when it has none). */
  provider: string
  /** Attempts made by nodes with this model (a retry counts again; a cached node does not count). */
  calls: number
  /** US dollars (from `NodeExecutionRecord.cost`). */
  cost: number
}

/**
 * Usage of one organisation in a period. Runs belong to it by `createdAt`; spend is what runs
 * and node executions record (`cost`, null counting as 0); a run still going counts what its
 * nodes have spent so far (the engine keeps `RunRecord.cost` up to date as nodes finish).
 */
export interface UsageSummary {
  runs: {
    total: number
    succeeded: number
    failed: number
    canceled: number
    /** Queued or running. */
    active: number
  }
  /** US dollars spent by the runs (the sum of their `cost`). */
  cost: number
  /** Node executions of those runs that started (cached, skipped and never-reached nodes do not count). */
  nodeExecutions: number
  /** Days with at least one run, oldest first. */
  days: UsageDay[]
  /** Most spent first, then most runs, then by id in byte order (null last). */
  workflows: UsageByWorkflow[]
  /** Most spent first, then most calls, then by model in byte order. */
  models: UsageByModel[]
}

/**
 * Refuses a period every store would read differently: an invalid date, or an end before the
 * start. An empty period (`from` equal to `to`) is allowed.
 */
export function checkPeriod(query: UsageQuery): void {
  for (const [name, date] of [
    ['from', query.from],
    ['to', query.to],
  ] as const) {
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError(`${name} is not a valid date`)
  }
  if (query.to.getTime() < query.from.getTime()) {
    throw new RangeError(`the period ends (${query.to.toISOString()}) before it starts (${query.from.toISOString()})`)
  }
}

/** `openai/gpt-4o-mini` → `openai`. */
export function providerOf(model: string): string {
  const slash = model.indexOf('/')
  return slash === -1 ? model : model.slice(0, slash)
}

/** The order of `UsageSummary.workflows`: most spent, most runs, then by id in byte order (null last). */
export function compareWorkflowUsage(a: UsageByWorkflow, b: UsageByWorkflow): number {
  if (b.cost !== a.cost || b.runs !== a.runs) return b.cost - a.cost || b.runs - a.runs
  if (a.workflowId === null || b.workflowId === null)
    return (a.workflowId === null ? 1 : 0) - (b.workflowId === null ? 1 : 0)
  return compareBytes(a.workflowId, b.workflowId)
}

/** The order of `UsageSummary.models`: most spent, most calls, then by model in byte order. */
export function compareModelUsage(a: UsageByModel, b: UsageByModel): number {
  return b.cost - a.cost || b.calls - a.calls || compareBytes(a.model, b.model)
}
