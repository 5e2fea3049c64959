import { randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { type ValidationIssue, validateWorkflow } from '@patchbay/core'
import type { WorkflowRecord } from '@patchbay/db'
import { ApiError, notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import {
  conflictResponse,
  errorResponses,
  idParams,
  jsonContent,
  pageQuerySchema,
  pageSchema,
  timestamp,
} from '../api/schemas.ts'
import { parseWorkflowDocument, workflowDocumentSchema } from '../api/workflow-document.ts'
import { requireRole } from '../auth/authenticate.ts'

const issueSchema = z
  .object({ code: z.string(), message: z.string(), path: z.array(z.union([z.string(), z.number()])) })
  .passthrough()
  .openapi('ValidationIssue')

const summarySchema = z
  .object({ id: z.string(), name: z.string(), revision: z.number().int(), createdAt: timestamp, updatedAt: timestamp })
  .openapi('WorkflowSummary')

const workflowSchema = summarySchema
  .extend({
    document: workflowDocumentSchema,
    issues: z.array(issueSchema).openapi({ description: 'What would stop this workflow from running, if anything' }),
  })
  .openapi('Workflow')

export function summaryJson(record: WorkflowRecord) {
  return {
    id: record.id,
    name: record.name,
    revision: record.revision,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  }
}

export function workflowJson(record: WorkflowRecord, issues: ValidationIssue[]) {
  return { ...summaryJson(record), document: record.document as Record<string, unknown>, issues }
}

const tags = ['workflows']

export function workflowRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows',
      tags,
      summary: 'List workflows',
      middleware: [requireRole('viewer')] as const,
      request: { query: pageQuerySchema.extend({ search: z.string().max(200).optional() }) },
      responses: {
        200: jsonContent(pageSchema(summarySchema, 'WorkflowPage'), 'Workflows, newest first'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { limit, offset, search } = c.req.valid('query')
      const page = await c.var.services.runtime.store.listWorkflows({
        orgId: c.var.actor.orgId,
        limit,
        offset,
        ...(search ? { search } : {}),
      })
      return c.json({ items: page.items.map(summaryJson), total: page.total, limit, offset }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/workflows',
      tags,
      summary: 'Create a workflow',
      description: 'Also imports an exported document (older schema versions are upgraded).',
      middleware: [requireRole('editor')] as const,
      request: { body: { content: { 'application/json': { schema: workflowDocumentSchema } }, required: true } },
      responses: { 201: jsonContent(workflowSchema, 'The saved workflow'), ...errorResponses },
    }),
    async (c) => {
      const { runtime } = c.var.services
      const { document, issues } = parseWorkflowDocument(c.req.valid('json'), runtime.engine.registry)
      const record = await runtime.store.createWorkflow({ id: randomUUID(), orgId: c.var.actor.orgId, document })
      return c.json(workflowJson(record, issues), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}',
      tags,
      summary: 'Get a workflow',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(workflowSchema, 'The workflow'), ...errorResponses },
    }),
    async (c) => {
      const record = await loadWorkflow(c.var.services, c.var.actor.orgId, c.req.valid('param').id)
      return c.json(workflowJson(record, issuesOf(c.var.services, record)), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'put',
      path: '/workflows/{id}',
      tags,
      summary: 'Replace a workflow’s document',
      description: 'Send the `revision` you last read; a stale one is refused with 409 and the current workflow.',
      middleware: [requireRole('editor')] as const,
      request: {
        params: idParams,
        body: {
          content: {
            'application/json': {
              schema: z
                .object({ revision: z.number().int().min(1), document: workflowDocumentSchema })
                .openapi('WorkflowUpdate'),
            },
          },
          required: true,
        },
      },
      responses: { 200: jsonContent(workflowSchema, 'The saved workflow'), ...errorResponses, ...conflictResponse },
    }),
    async (c) => {
      const { runtime } = c.var.services
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const { document, issues } = parseWorkflowDocument(body.document, runtime.engine.registry)
      const result = await runtime.store.updateWorkflow({
        orgId: c.var.actor.orgId,
        id,
        document,
        expectedRevision: body.revision,
      })
      if (result.status === 'missing') throw notFound('workflow', id)
      if (result.status === 'conflict') throw staleRevision(body.revision, result.workflow)
      return c.json(workflowJson(result.workflow, issues), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/workflows/{id}',
      tags,
      summary: 'Delete a workflow (its runs and versions stay)',
      middleware: [requireRole('editor')] as const,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await c.var.services.runtime.store.deleteWorkflow(c.var.actor.orgId, id))) throw notFound('workflow', id)
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/workflows/{id}/duplicate',
      tags,
      summary: 'Copy a workflow',
      middleware: [requireRole('editor')] as const,
      request: {
        params: idParams,
        body: {
          content: { 'application/json': { schema: z.object({ name: z.string().min(1).max(200).optional() }) } },
          required: false,
        },
      },
      responses: { 201: jsonContent(workflowSchema, 'The copy'), ...errorResponses },
    }),
    async (c) => {
      const { services } = c.var
      const source = await loadWorkflow(services, c.var.actor.orgId, c.req.valid('param').id)
      const name = c.req.valid('json')?.name ?? `${source.name} (copy)`.slice(0, 200)
      const record = await services.runtime.store.createWorkflow({
        id: randomUUID(),
        orgId: c.var.actor.orgId,
        document: { ...source.document, name },
      })
      return c.json(workflowJson(record, issuesOf(services, record)), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/workflows/{id}/export',
      tags,
      summary: 'Download the workflow document as a JSON file',
      middleware: [requireRole('viewer')] as const,
      request: { params: idParams },
      responses: {
        200: jsonContent(workflowDocumentSchema, 'The document, importable with POST /workflows'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const record = await loadWorkflow(c.var.services, c.var.actor.orgId, c.req.valid('param').id)
      const file = `${record.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'workflow'}.json`
      c.header('content-disposition', `attachment; filename="${file}"`)
      return c.json(record.document as Record<string, unknown>, 200)
    },
  )

  return app
}

type Services = import('../services.ts').Services

export async function loadWorkflow(services: Services, orgId: string, id: string): Promise<WorkflowRecord> {
  const record = await services.runtime.store.getWorkflow(orgId, id)
  if (!record) throw notFound('workflow', id)
  return record
}

export function issuesOf(services: Services, record: WorkflowRecord): ValidationIssue[] {
  const checked = validateWorkflow(record.document, services.runtime.engine.registry)
  return checked.ok ? [] : checked.issues
}

export function staleRevision(sent: number, current: WorkflowRecord): ApiError {
  return new ApiError(
    409,
    'STALE_REVISION',
    `the workflow was changed meanwhile (you sent revision ${sent}; it is at ${current.revision}); reload it and apply your change again`,
    { details: { revision: current.revision, workflow: workflowJson(current, []) } },
  )
}
