import { createRoute, z } from '@hono/zod-openapi'
import type { WorkflowVersionRecord } from '@patchbay/db'
import { notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import {
  conflictResponse,
  errorResponses,
  idParams,
  idSchema,
  jsonContent,
  pageQuerySchema,
  pageSchema,
  timestamp,
} from '../api/schemas.ts'
import { workflowDocumentSchema } from '../api/workflow-document.ts'
import { requireRole } from '../auth/authenticate.ts'
import { issuesOf, loadWorkflow, staleRevision, workflowJson } from './workflows.ts'

const versionSummarySchema = z
  .object({
    id: z.string(),
    workflowId: z.string().nullable(),
    hash: z.string(),
    name: z.string(),
    createdAt: timestamp,
  })
  .openapi('WorkflowVersionSummary')

const versionSchema = versionSummarySchema.extend({ document: workflowDocumentSchema }).openapi('WorkflowVersion')

function summaryJson(version: WorkflowVersionRecord) {
  return {
    id: version.id,
    workflowId: version.workflowId,
    hash: version.hash,
    name: version.document.name,
    createdAt: version.createdAt.toISOString(),
  }
}

const tags = ['versions']

/** Immutable snapshots: every run runs one; identical documents share one. */
export function versionRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}/versions',
      tags,
      summary: 'List the versions a workflow has run as',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams, query: pageQuerySchema },
      responses: {
        200: jsonContent(pageSchema(versionSummarySchema, 'WorkflowVersionPage'), 'Newest first'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { limit, offset } = c.req.valid('query')
      const { services } = c.var
      await loadWorkflow(services, c.var.actor.orgId, id)
      const page = await services.runtime.store.listVersions(c.var.actor.orgId, id, { limit, offset })
      return c.json({ items: page.items.map(summaryJson), total: page.total, limit, offset }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/versions/{id}',
      tags,
      summary: 'Get a version and its document',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(versionSchema, 'The version'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const version = await c.var.services.runtime.store.getVersion(c.var.actor.orgId, id)
      if (!version) throw notFound('workflow version', id)
      return c.json({ ...summaryJson(version), document: version.document as Record<string, unknown> }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/workflows/{id}/versions/{versionId}/restore',
      tags,
      summary: 'Make a version the workflow’s draft again',
      middleware: [requireRole('editor')] as const,
      request: {
        params: idParams.extend({ versionId: idSchema }),
        body: {
          content: { 'application/json': { schema: z.object({ revision: z.number().int().min(1) }) } },
          required: true,
        },
      },
      responses: {
        200: jsonContent(z.record(z.string(), z.unknown()), 'The workflow with the restored document'),
        ...errorResponses,
        ...conflictResponse,
      },
    }),
    async (c) => {
      const { id, versionId } = c.req.valid('param')
      const { revision } = c.req.valid('json')
      const { services } = c.var
      const orgId = c.var.actor.orgId
      const version = await services.runtime.store.getVersion(orgId, versionId)
      if (!version) throw notFound('workflow version', versionId)
      const result = await services.runtime.store.updateWorkflow({
        orgId,
        id,
        document: version.document,
        expectedRevision: revision,
      })
      if (result.status === 'missing') throw notFound('workflow', id)
      if (result.status === 'conflict') throw staleRevision(revision, result.workflow)
      return c.json(workflowJson(result.workflow, issuesOf(services, result.workflow)), 200)
    },
  )

  return app
}
