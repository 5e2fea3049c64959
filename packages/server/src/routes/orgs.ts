import { randomUUID } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import type { Context } from 'hono'
import type { AppEnv, Identity } from '../api/env.ts'
import { ApiError } from '../api/errors.ts'
import { createRouter } from '../api/router.ts'
import { errorResponses, jsonContent, roleSchema, timestamp } from '../api/schemas.ts'
import { requireIdentity, requireRole } from '../auth/authenticate.ts'

const orgSchema = z
  .object({ id: z.string(), name: z.string(), role: roleSchema, createdAt: timestamp })
  .openapi('Organisation')

const meSchema = z
  .object({
    via: z.enum(['session', 'apiKey', 'local']),
    user: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
    organisations: z.array(orgSchema),
  })
  .openapi('Me')

const nameBody = {
  content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(100) }) } },
  required: true,
} as const

const tags = ['organisations']

export function orgRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags,
      summary: 'Who you are and which organisations you can act in',
      responses: { 200: jsonContent(meSchema, 'The caller'), ...errorResponses },
    }),
    async (c) => {
      const identity = requireIdentity(c)
      const organisations = await orgsOf(c, identity)
      const user = identity.kind === 'user' ? { id: identity.userId, name: identity.name, email: identity.email } : null
      const via = identity.kind === 'user' ? ('session' as const) : identity.kind
      return c.json({ via, user, organisations }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orgs',
      tags,
      summary: 'Your organisations',
      responses: {
        200: jsonContent(z.object({ items: z.array(orgSchema) }), 'With your role in each'),
        ...errorResponses,
      },
    }),
    async (c) => c.json({ items: await orgsOf(c, requireIdentity(c)) }, 200),
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/orgs',
      tags,
      summary: 'Create an organisation (you become its owner)',
      request: { body: nameBody },
      responses: { 201: jsonContent(orgSchema, 'The new organisation'), ...errorResponses },
    }),
    async (c) => {
      const identity = requireIdentity(c)
      if (identity.kind !== 'user') {
        throw new ApiError(
          403,
          'FORBIDDEN',
          'only a signed-in person can create an organisation (not an API key or local mode)',
        )
      }
      const org = await c.var.services.accounts.createOrg({
        id: randomUUID(),
        name: c.req.valid('json').name,
        ownerId: identity.userId,
      })
      return c.json({ id: org.id, name: org.name, role: 'owner' as const, createdAt: org.createdAt.toISOString() }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/orgs/current',
      tags,
      summary: 'The organisation this request acts in (X-Patchbay-Org, or your first)',
      middleware: [requireRole('viewer')] as const,
      responses: { 200: jsonContent(orgSchema, 'The organisation and your role'), ...errorResponses },
    }),
    async (c) => {
      const { actor } = c.var
      const org = await c.var.services.accounts.getOrg(actor.orgId)
      if (!org) throw new ApiError(404, 'NOT_FOUND', `organisation ${actor.orgId} was not found`)
      return c.json({ id: org.id, name: org.name, role: actor.role, createdAt: org.createdAt.toISOString() }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/orgs/current',
      tags,
      summary: 'Rename the organisation',
      middleware: [requireRole('admin')] as const,
      request: { body: nameBody },
      responses: { 200: jsonContent(orgSchema, 'The renamed organisation'), ...errorResponses },
    }),
    async (c) => {
      const { actor } = c.var
      const org = await c.var.services.accounts.renameOrg(actor.orgId, c.req.valid('json').name)
      if (!org) throw new ApiError(404, 'NOT_FOUND', `organisation ${actor.orgId} was not found`)
      return c.json({ id: org.id, name: org.name, role: actor.role, createdAt: org.createdAt.toISOString() }, 200)
    },
  )

  return app
}

async function orgsOf(c: Context<AppEnv>, identity: Identity) {
  const { accounts } = c.var.services
  const json = (org: { id: string; name: string; createdAt: Date }, role: z.infer<typeof roleSchema>) => ({
    id: org.id,
    name: org.name,
    role,
    createdAt: org.createdAt.toISOString(),
  })
  switch (identity.kind) {
    case 'user':
      return (await accounts.listOrgsOfUser(identity.userId)).map((org) => json(org, org.role))
    case 'apiKey': {
      const org = await accounts.getOrg(identity.orgId)
      return org ? [json(org, identity.role)] : []
    }
    case 'local': {
      const org = await accounts.getOrg(DEFAULT_ORG_ID)
      return org ? [json(org, 'owner')] : []
    }
  }
}
