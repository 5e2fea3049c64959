import { createRoute, z } from '@hono/zod-openapi'
import { modelCapabilities, nodeCatalog } from '@patchbay/core'
import { createRouter } from '../api/router.ts'
import { errorResponses, jsonContent } from '../api/schemas.ts'
import { requireRole } from '../auth/authenticate.ts'

const nodeSchema = z
  .object({
    type: z.string(),
    version: z.number(),
    category: z.string(),
    title: z.string(),
    description: z.string().optional(),
    inputs: z.record(z.string(), z.unknown()),
    outputs: z.record(z.string(), z.unknown()),
    params: z.record(z.string(), z.unknown()).openapi({ description: 'JSON Schema of the node’s params' }),
    cacheable: z.union([z.boolean(), z.literal('depends-on-params')]),
  })
  .openapi('NodeType')

const providerSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    local: z.boolean(),
    credential: z.string().nullable().openapi({ description: 'The vault entry name the provider needs' }),
    configured: z.boolean().openapi({ description: 'Whether your organisation has that credential' }),
  })
  .openapi('ModelProvider')

const tags = ['catalog']

/** What can be put on a canvas: node types with their schemas, and the models they can call. */
export function catalogRoutes() {
  const app = createRouter()

  app.openapi(
    createRoute({
      method: 'get',
      path: '/nodes',
      tags,
      summary: 'The node catalog',
      middleware: [requireRole('viewer')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(nodeSchema) }), 'Every node type'), ...errorResponses },
    }),
    (c) => {
      const items = nodeCatalog(c.var.services.runtime.engine.registry) as z.infer<typeof nodeSchema>[]
      return c.json({ items }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/models',
      tags,
      summary: 'The model catalog, and which providers your organisation can call',
      middleware: [requireRole('viewer')] as const,
      request: {
        query: z.object({ capability: z.enum(modelCapabilities).optional(), provider: z.string().max(100).optional() }),
      },
      responses: {
        200: jsonContent(
          z.object({ providers: z.array(providerSchema), models: z.array(z.record(z.string(), z.unknown())) }),
          'Providers and catalogued models',
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { gateway } = c.var.services
      const { capability, provider } = c.req.valid('query')
      const providers = await Promise.all(
        gateway.providers.list().map(async (entry) => ({
          id: entry.adapter.id,
          title: entry.adapter.title,
          local: entry.local,
          credential: entry.adapter.credentialEnv ?? null,
          configured: await gateway.hasCredential(entry, c.var.actor.orgId),
        })),
      )
      const models = gateway.catalog.list({
        ...(capability ? { capability } : {}),
        ...(provider ? { provider } : {}),
      })
      return c.json({ providers, models: models as unknown as Record<string, unknown>[] }, 200)
    },
  )

  return app
}
