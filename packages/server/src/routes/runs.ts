import { createRoute, z } from '@hono/zod-openapi'
import { buildAdjacency, runStatuses, ValidationError, validateWorkflow, withAncestors } from '@patchbay/core'
import type { RunRecord } from '@patchbay/db'
import { checkModels } from '@patchbay/providers'
import { notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, idParams, idSchema, jsonContent, pageQuerySchema, pageSchema } from '../api/schemas.ts'
import { requireRole } from '../auth/authenticate.ts'
import { loadRunDetail } from '../runs/run-detail.ts'
import { runDetailSchema, runJson, runSchema } from '../runs/run-json.ts'
import { settleStartedRun } from '../runs/wait-for-run.ts'
import { rateKeyOf } from '../security/rate-limits.ts'
import type { Services } from '../services.ts'
import { loadWorkflow } from './workflows.ts'

const id = idSchema

const createRunSchema = z
  .object({
    workflowId: id.optional().openapi({ description: 'Run this saved workflow’s current document' }),
    versionId: id.optional().openapi({ description: 'Run this saved version (an earlier run’s `versionId`)' }),
    inputs: z.record(z.string(), z.unknown()).optional().openapi({ description: 'Values of the workflow’s inputs' }),
    scope: z
      .union([z.literal('all'), z.object({ nodes: z.array(id).min(1).max(10_000) })])
      .optional()
      .openapi({ description: '`all` (the default), or just these nodes and what they need upstream' }),
  })
  .refine((body) => (body.workflowId === undefined) !== (body.versionId === undefined), {
    message: 'give exactly one of workflowId and versionId',
    path: ['workflowId'],
  })
  .openapi('RunRequest')

const waitQuery = z.object({
  wait: z.coerce
    .number()
    .min(0)
    .max(300)
    .optional()
    .openapi({ description: 'Seconds to hold the request until the run finishes (0–300)' }),
})

const tags = ['runs']

/** Starting, inspecting, listing and cancelling runs. Their live events are in routes/events.ts. */
export function runRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'post',
      path: '/runs',
      tags,
      summary: 'Start a run',
      description:
        'Starts a saved workflow (its document is snapshotted as an immutable version) or a saved version. ' +
        'With `?wait=<seconds>` the request is held until the run finishes: 200 with its outputs, or 202 when ' +
        'the time is up (the run carries on; follow it with GET /runs/{id}/events). Invalid inputs or a bad ' +
        'workflow answer 400 `INVALID_WORKFLOW` with every issue.',
      middleware: [requireRole('editor')] as const,
      request: {
        query: waitQuery,
        body: { content: { 'application/json': { schema: createRunSchema } }, required: true },
      },
      responses: {
        201: jsonContent(runSchema, 'Started'),
        200: jsonContent(runSchema, 'Finished within `wait` (see `status` and `outputs`)'),
        202: jsonContent(runSchema, 'Still running when `wait` ran out'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { services, actor } = c.var
      const { wait } = c.req.valid('query')
      const body = c.req.valid('json')
      await services.rateLimits.consume('runs', rateKeyOf(actor))
      await services.rateLimits.consume('runsPerOrg', actor.orgId)
      const run = await services.runAdmission.admit(() => startRun(services, actor.orgId, body))
      if (wait === undefined) return c.json(runJson(run), 201)
      const settled = await settleStartedRun(services.runtime, run, wait * 1000, c.req.raw.signal, (error) =>
        services.logger.warn('waiting for a started run failed; answering it as it stands', {
          runId: run.id,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      return c.json(runJson(settled.run), settled.finished ? 200 : 202)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs',
      tags,
      summary: 'List runs',
      middleware: [requireRole('viewer')] as const,
      request: {
        query: pageQuerySchema.extend({ workflowId: id.optional(), status: z.enum(runStatuses).optional() }),
      },
      responses: { 200: jsonContent(pageSchema(runSchema, 'RunPage'), 'Runs, newest first'), ...errorResponses },
    }),
    async (c) => {
      const { limit, offset, workflowId, status } = c.req.valid('query')
      const page = await c.var.services.runtime.store.listRuns({
        orgId: c.var.actor.orgId,
        limit,
        offset,
        ...(workflowId === undefined ? {} : { workflowId }),
        ...(status === undefined ? {} : { status }),
      })
      return c.json({ items: page.items.map(runJson), total: page.total, limit, offset }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/runs/{id}',
      tags,
      summary: 'Get a run and every node of it',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(runDetailSchema, 'The run'), ...errorResponses },
    }),
    async (c) => {
      const detail = await loadRunDetail(c.var.services.runtime.store, c.var.actor.orgId, c.req.valid('param').id)
      return c.json(detail, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/runs/{id}/cancel',
      tags,
      summary: 'Cancel a run',
      description: 'Running nodes are aborted, the rest marked canceled. A finished run is returned unchanged.',
      middleware: [requireRole('editor')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(runDetailSchema, 'The run, as it is now'), ...errorResponses },
    }),
    async (c) => {
      const { runtime } = c.var.services
      const { orgId } = c.var.actor
      const runId = c.req.valid('param').id
      await runtime.engine.cancelRun(orgId, runId)
      return c.json(await loadRunDetail(runtime.store, orgId, runId), 200)
    },
  )

  return app
}

type CreateRun = z.infer<typeof createRunSchema>

async function startRun(services: Services, orgId: string, body: CreateRun): Promise<RunRecord> {
  const { engine, store } = services.runtime
  const nodes = body.scope === undefined || body.scope === 'all' ? undefined : body.scope.nodes
  const common = { orgId, ...(body.inputs ? { inputs: body.inputs } : {}), ...(nodes ? { nodes } : {}) }
  if (body.versionId !== undefined) {
    const version = await store.getVersion(orgId, body.versionId)
    if (!version) throw notFound('workflow version', body.versionId)
    await checkModelCalls(services, orgId, version.document, nodes)
    return engine.startRun({
      ...common,
      versionId: version.id,
      ...(version.workflowId ? { workflowId: version.workflowId } : {}),
    })
  }
  const workflow = await loadWorkflow(services, orgId, body.workflowId as string)
  await checkModelCalls(services, orgId, workflow.document, nodes)
  return engine.startRun({ ...common, workflow: workflow.document, workflowId: workflow.id })
}

/**
 * Refuses, before anything runs or is paid for, a run whose model calls cannot succeed: an
 * unknown provider, a credential the organisation lacks, a param outside the model's range.
 * (A document that does not validate is left to the engine, which reports every issue.)
 */
async function checkModelCalls(
  services: Services,
  orgId: string,
  document: unknown,
  nodes: readonly string[] | undefined,
): Promise<void> {
  const { registry } = services.runtime.engine
  const checked = validateWorkflow(document, registry)
  if (!checked.ok) return
  const { workflow } = checked
  const adjacency = buildAdjacency(
    workflow.nodes.map((node) => node.id),
    workflow.edges,
  )
  const only = nodes ? withAncestors(nodes, adjacency) : undefined
  const issues = await checkModels({
    workflow,
    registry,
    gateway: services.gateway,
    orgId,
    ...(only ? { only } : {}),
  })
  if (issues.length > 0) throw new ValidationError(issues)
}
