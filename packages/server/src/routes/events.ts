import { createRoute, z } from '@hono/zod-openapi'
import { isTerminalRun } from '@patchbay/core'
import { ApiError } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, idParams } from '../api/schemas.ts'
import { requireRole } from '../auth/authenticate.ts'
import { loadRun } from '../runs/run-detail.ts'
import { liveEventFeed, runEventFeed } from '../runs/run-event-feed.ts'
import { runEventSchema } from '../runs/run-json.ts'
import { eventStreamResponse, streamEvents } from '../runs/sse.ts'

const seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER)

const tags = ['events']

/** Live events as Server-Sent Events: one run's (resumable), or the whole organisation's. */
export function eventRoutes() {
  const app = createRouter()
  // Documents the event shape, which the text/event-stream schema cannot reference.
  app.openAPIRegistry.register('RunEvent', runEventSchema)

  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/{id}/events',
      tags,
      summary: 'Follow a run’s events',
      description:
        'Every event of the run in order, the stored ones first, then live ones as they are committed; the ' +
        'stream ends after `run.finished` (at once for a finished run). To resume, send the `Last-Event-ID` ' +
        'header (browsers’ EventSource does) or `?after=<seq>`: only later events come. Each message’s `data` ' +
        'is a `RunEvent`.',
      middleware: [requireRole('viewer')] as const,
      request: {
        params: idParams,
        query: z.object({ after: seq.optional().openapi({ description: 'Only events with a greater `seq`' }) }),
        headers: z.object({
          'last-event-id': z
            .string()
            .optional()
            .openapi({ description: 'The `id` of the last message received; wins over `after`' }),
        }),
      },
      responses: { 200: eventStreamResponse('The run’s events'), ...errorResponses },
    }),
    async (c) => {
      const { runtime, logger } = c.var.services
      const { orgId } = c.var.actor
      const run = await loadRun(runtime.store, orgId, c.req.valid('param').id)
      const after = resumeAfter(c.req.valid('header')['last-event-id'], c.req.valid('query').after)
      const stored = {
        listEvents: (runId: string, afterSeq: number, limit: number) =>
          runtime.store.listEvents(runId, afterSeq, limit),
        isFinished: async (runId: string) => {
          const current = await runtime.store.getRun(orgId, runId)
          return !current || isTerminalRun(current.status)
        },
      }
      return streamEvents(
        c,
        (signal) =>
          runEventFeed((listener) => runtime.engine.subscribe(run.id, listener), stored, {
            runId: run.id,
            after,
            finished: isTerminalRun(run.status),
            drivenHere: () => runtime.engine.isDriving(run.id),
            signal,
          }),
        logger,
      )
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/events',
      tags,
      summary: 'Follow every run of the organisation',
      description:
        'Live events of the organisation’s runs as they are committed (no replay: load the runs first, then ' +
        'apply events). Each message’s `data` is a `RunEvent` (with its `runId`). A client that falls far ' +
        'behind is disconnected; it reconnects and reloads.',
      middleware: [requireRole('viewer')] as const,
      responses: { 200: eventStreamResponse('The organisation’s live events'), ...errorResponses },
    }),
    (c) => {
      const { runtime, logger } = c.var.services
      const { orgId } = c.var.actor
      return streamEvents(
        c,
        (signal) => liveEventFeed((listener) => runtime.engine.subscribeOrg(orgId, listener), signal),
        logger,
      )
    },
  )

  return app
}

/** The sequence number to resume after: Last-Event-ID when sent, else `?after=`, else 0. */
function resumeAfter(lastEventId: string | undefined, after: number | undefined): number {
  if (lastEventId === undefined || lastEventId.trim() === '') return after ?? 0
  const parsed = seq.safeParse(lastEventId.trim())
  if (!parsed.success) {
    throw new ApiError(400, 'INVALID_REQUEST', 'Last-Event-ID must be the `id` of an event (a non-negative integer)', {
      details: { target: 'header', header: 'last-event-id', value: lastEventId.slice(0, 100) },
    })
  }
  return parsed.data
}
