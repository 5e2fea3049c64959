import { randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { type CredentialRecord, DuplicateCredentialError } from '@patchbay/db'
import { ApiError, notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, errorSchema, idParams, jsonContent, timestamp } from '../api/schemas.ts'
import { requireRole } from '../auth/authenticate.ts'
import type { Services } from '../services.ts'

/** Most credentials one organisation may hold; with the per-value cap, this bounds its vault at 1.6 MB. */
export const MAX_CREDENTIALS_PER_ORG = 100
/** Longest credential value, in UTF-16 code units. */
export const MAX_CREDENTIAL_VALUE_LENGTH = 16_384

const nameSchema = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,127}$/, 'names look like environment variables: OPENAI_API_KEY')
  .openapi({ example: 'OPENAI_API_KEY' })
const valueSchema = z.string().min(1).max(MAX_CREDENTIAL_VALUE_LENGTH)
const descriptionSchema = z.string().max(500).nullable()

const credentialSchema = z
  .object({
    id: z.string(),
    name: nameSchema,
    description: z.string().nullable(),
    usedBy: z.array(z.string()).openapi({ description: 'Providers that read this credential' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('Credential', { description: 'A vault entry’s metadata; its value is never returned' })

function credentialJson(services: Services, credential: CredentialRecord) {
  return {
    id: credential.id,
    name: credential.name,
    description: credential.description,
    usedBy: services.gateway.providers
      .list()
      .filter((entry) => entry.adapter.credentialEnv === credential.name)
      .map((entry) => entry.adapter.id),
    createdAt: credential.createdAt.toISOString(),
    updatedAt: credential.updatedAt.toISOString(),
  }
}

function duplicate(name: string): ApiError {
  return new ApiError(409, 'DUPLICATE_CREDENTIAL', `a credential named ${name} already exists; update it instead`, {
    details: { name },
  })
}

const limitResponse = {
  409: {
    description: `A credential with that name exists, or the organisation holds ${MAX_CREDENTIALS_PER_ORG} already`,
    content: { 'application/json': { schema: errorSchema } },
  },
} as const

const tags = ['credentials']

/** The organisation's encrypted vault: provider keys that its workflows' model nodes use. */
export function credentialRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/credentials',
      tags,
      summary: 'List vault entries (metadata only)',
      middleware: [requireRole('admin')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(credentialSchema) }), 'By name'), ...errorResponses },
    }),
    async (c) => {
      const { services } = c.var
      const items = await services.accounts.listCredentials(c.var.actor.orgId)
      return c.json({ items: items.map((credential) => credentialJson(services, credential)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/credentials',
      tags,
      summary: 'Store a credential',
      middleware: [requireRole('admin')] as const,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({ name: nameSchema, value: valueSchema, description: descriptionSchema.optional() }),
            },
          },
          required: true,
        },
      },
      responses: { 201: jsonContent(credentialSchema, 'Stored, encrypted'), ...errorResponses, ...limitResponse },
    }),
    async (c) => {
      const { services, actor } = c.var
      const body = c.req.valid('json')
      await services.rateLimits.consume('credentials', actor.orgId)
      // Checked before the insert, not with it: concurrent creations may pass it together, by
      // at most what the per-organisation rate limit lets through at once.
      if ((await services.accounts.countCredentials(actor.orgId)) >= MAX_CREDENTIALS_PER_ORG) {
        throw new ApiError(
          409,
          'CREDENTIAL_LIMIT',
          `an organisation holds at most ${MAX_CREDENTIALS_PER_ORG} credentials; delete one first`,
          { details: { limit: MAX_CREDENTIALS_PER_ORG } },
        )
      }
      const id = randomUUID()
      const { keyId, sealed } = services.vault.seal({ orgId: actor.orgId, id }, body.value)
      const now = new Date()
      try {
        const record = await services.accounts.createCredential({
          id,
          orgId: actor.orgId,
          name: body.name,
          description: body.description ?? null,
          keyId,
          sealed,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        return c.json(credentialJson(services, record), 201)
      } catch (error) {
        if (error instanceof DuplicateCredentialError) throw duplicate(body.name)
        throw error
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/credentials/{id}',
      tags,
      summary: 'A vault entry’s metadata',
      middleware: [requireRole('admin')] as const,
      request: { params: idParams },
      responses: { 200: jsonContent(credentialSchema, 'Metadata'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const record = await c.var.services.accounts.getCredential(c.var.actor.orgId, id)
      if (!record) throw notFound('credential', id)
      return c.json(credentialJson(c.var.services, record), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/credentials/{id}',
      tags,
      summary: 'Rename, describe or replace the value of a credential',
      middleware: [requireRole('admin')] as const,
      request: {
        params: idParams,
        body: {
          content: {
            'application/json': {
              schema: z
                .object({ name: nameSchema, value: valueSchema, description: descriptionSchema })
                .partial()
                .refine((body) => Object.keys(body).length > 0, 'send at least one of name, value, description'),
            },
          },
          required: true,
        },
      },
      responses: { 200: jsonContent(credentialSchema, 'Updated'), ...errorResponses, ...limitResponse },
    }),
    async (c) => {
      const { services, actor } = c.var
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      await services.rateLimits.consume('credentials', actor.orgId)
      const sealed = body.value === undefined ? {} : services.vault.seal({ orgId: actor.orgId, id }, body.value)
      try {
        const record = await services.accounts.updateCredential(actor.orgId, id, {
          ...(body.name === undefined ? {} : { name: body.name }),
          ...(body.description === undefined ? {} : { description: body.description }),
          ...sealed,
        })
        if (!record) throw notFound('credential', id)
        return c.json(credentialJson(services, record), 200)
      } catch (error) {
        if (error instanceof DuplicateCredentialError) throw duplicate(body.name ?? '')
        throw error
      }
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/credentials/{id}',
      tags,
      summary: 'Delete a credential',
      middleware: [requireRole('admin')] as const,
      request: { params: idParams },
      responses: { 204: { description: 'Deleted' }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await c.var.services.accounts.deleteCredential(c.var.actor.orgId, id))) throw notFound('credential', id)
      return c.body(null, 204)
    },
  )

  return app
}
