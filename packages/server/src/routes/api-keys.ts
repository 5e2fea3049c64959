import { randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import type { ApiKeyRecord } from '@patchbay/db'
import { ApiError, notFound } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, idParams, jsonContent, roleSchema, timestamp } from '../api/schemas.ts'
import { newApiKey } from '../auth/api-key-format.ts'
import { requireRole } from '../auth/authenticate.ts'
import { hasRole } from '../auth/roles.ts'

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    role: roleSchema,
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .openapi('ApiKey')

function apiKeyJson(key: ApiKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.role,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  }
}

const tags = ['api-keys']

/** Keys for scripts: `Authorization: Bearer pbk_…` acts in this organisation with the key's role. */
export function apiKeyRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api-keys',
      tags,
      summary: 'List API keys (never their values)',
      middleware: [requireRole('admin')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(apiKeySchema) }), 'Newest first'), ...errorResponses },
    }),
    async (c) => {
      const keys = await c.var.services.accounts.listApiKeys(c.var.actor.orgId)
      return c.json({ items: keys.map(apiKeyJson) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api-keys',
      tags,
      summary: 'Create an API key',
      description: 'The key is in this response only; Patchbay keeps just its hash.',
      middleware: [requireRole('admin')] as const,
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().trim().min(1).max(100),
                role: roleSchema.default('editor'),
                expiresInDays: z.number().int().min(1).max(3650).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: {
        201: jsonContent(apiKeySchema.extend({ key: z.string() }), 'The key, shown once'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { actor } = c.var
      const body = c.req.valid('json')
      if (!hasRole(actor.role, body.role)) {
        throw new ApiError(403, 'FORBIDDEN', `you cannot create a key with more rights than your own (${actor.role})`)
      }
      const { key, hash, prefix } = newApiKey()
      const now = new Date()
      const record = await c.var.services.accounts.createApiKey({
        id: randomUUID(),
        orgId: actor.orgId,
        // A key made with a key belongs to the same person, so it cannot outlive or outrank them.
        createdBy: actor.identity.kind === 'apiKey' ? actor.identity.createdBy : actor.userId,
        name: body.name,
        prefix,
        hash,
        role: body.role,
        createdAt: now,
        lastUsedAt: null,
        expiresAt: body.expiresInDays ? new Date(now.getTime() + body.expiresInDays * 86_400_000) : null,
        revokedAt: null,
      })
      return c.json({ ...apiKeyJson(record), key }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api-keys/{id}',
      tags,
      summary: 'Revoke an API key',
      middleware: [requireRole('admin')] as const,
      request: { params: idParams },
      responses: { 204: { description: 'Revoked; requests with it now get 401' }, ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      if (!(await c.var.services.accounts.revokeApiKey(c.var.actor.orgId, id, new Date())))
        throw notFound('API key', id)
      return c.body(null, 204)
    },
  )

  return app
}
