import { createRoute, z } from '@hono/zod-openapi'
import type { UsageSummary } from '@patchbay/db'
import { createRouter } from '../api/router.ts'
import { errorResponses, jsonContent } from '../api/schemas.ts'
import { requireRole } from '../auth/authenticate.ts'

const dayMs = 86_400_000
/** The longest period one request may ask for, in days (a leap year). */
export const maxUsageDays = 366
/** The period without `from` and `to`: the last 30 days, today included. */
const defaultDays = 30

const day = z.iso.date().openapi({ example: '2030-01-31' })
const int = z.number().int()
const dollars = z.number().openapi({ description: 'US dollars' })

const usageQuery = z
  .object({
    from: day.optional().openapi({ description: 'First UTC day (`YYYY-MM-DD`); default: 29 days before `to`' }),
    to: day.optional().openapi({ description: 'Last UTC day, included; default: today' }),
  })
  .superRefine((query, ctx) => {
    const { days } = resolvePeriod(query, new Date())
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` is before `from`' })
    else if (days > maxUsageDays) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: `the period is longer than ${maxUsageDays} days` })
    }
  })

const usageSchema = z
  .object({
    from: day,
    to: day.openapi({ description: 'Included' }),
    cost: dollars.openapi({ description: 'US dollars spent by the period’s runs (finished ones; prices known)' }),
    runs: z.object({
      total: int,
      succeeded: int,
      failed: int,
      canceled: int,
      active: int.openapi({ description: 'Queued or running' }),
    }),
    nodeExecutions: int.openapi({ description: 'Nodes of those runs that started (cached and skipped ones do not)' }),
    days: z
      .array(z.object({ date: day, runs: int, cost: dollars }))
      .openapi({ description: 'Every day of the period, oldest first (days without runs too)' }),
    workflows: z
      .array(
        z.object({
          workflowId: z.string().nullable().openapi({ description: 'null: runs of deleted or unsaved workflows' }),
          name: z.string().nullable(),
          runs: int,
          cost: dollars,
        }),
      )
      .openapi({ description: 'Most spent first' }),
    models: z
      .array(
        z.object({
          model: z.string().openapi({ example: 'openai/gpt-4o-mini' }),
          provider: z.string().openapi({ example: 'openai' }),
          calls: int.openapi({ description: 'Attempts of nodes using the model (retries count)' }),
          cost: dollars,
        }),
      )
      .openapi({ description: 'Most spent first; from node executions whose params name a model' }),
  })
  .openapi('Usage')

/** The body of `GET /usage`. */
export type UsageJson = z.infer<typeof usageSchema>

/** What the organisation ran and spent, per day, workflow and model. */
export function usageRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/usage',
      tags: ['usage'],
      summary: 'Runs and spend in a period',
      description:
        'Runs created from `from` to `to` (UTC days, both included; at most 366 days; the last 30 days by ' +
        'default), counted by status, day, workflow and model, with what they spent in US dollars.',
      middleware: [requireRole('viewer')] as const,
      request: { query: usageQuery },
      responses: { 200: jsonContent(usageSchema, 'Usage of the organisation in the period'), ...errorResponses },
    }),
    async (c) => {
      const { start, days } = resolvePeriod(c.req.valid('query'), new Date())
      const summary = await c.var.services.runtime.store.usageSummary({
        orgId: c.var.actor.orgId,
        from: start,
        to: new Date(start.getTime() + days * dayMs),
      })
      return c.json(usageJson(summary, start, days), 200)
    },
  )

  return app
}

/** The period asked for: its first day (midnight UTC) and its length in days (< 1 when `to` is before `from`). */
function resolvePeriod(query: { from?: string | undefined; to?: string | undefined }, now: Date) {
  const today = Date.parse(now.toISOString().slice(0, 10))
  const end = query.to === undefined ? today : parseDay(query.to)
  const start = query.from === undefined ? end - (defaultDays - 1) * dayMs : parseDay(query.from)
  return { start: new Date(start), days: Math.round((end - start) / dayMs) + 1 }
}

/** `YYYY-MM-DD` as midnight UTC (not `Date.UTC`, which reads years below 100 as 19xx). */
function parseDay(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`)
}

function usageJson(summary: UsageSummary, start: Date, days: number): UsageJson {
  const byDate = new Map(summary.days.map((row) => [row.date, row]))
  const dates = Array.from({ length: days }, (_, index) => dateOf(start.getTime() + index * dayMs))
  return {
    from: dates[0] as string,
    to: dates.at(-1) as string,
    cost: summary.cost,
    runs: summary.runs,
    nodeExecutions: summary.nodeExecutions,
    days: dates.map((date) => byDate.get(date) ?? { date, runs: 0, cost: 0 }),
    workflows: summary.workflows,
    models: summary.models,
  }
}

/** Midnight UTC as `YYYY-MM-DD`. */
function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
