import { z } from '@hono/zod-openapi'
import { roles } from '@patchbay/db'

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'NOT_FOUND' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error')

const errorContent = { 'application/json': { schema: errorSchema } }

/** The error responses most routes can give; merge into a route's `responses`. */
export const errorResponses = {
  400: { description: 'The request is malformed (details list the problems)', content: errorContent },
  401: { description: 'Not signed in and no API key', content: errorContent },
  403: { description: 'The caller’s role does not allow this', content: errorContent },
  404: { description: 'Not found in the caller’s organisation', content: errorContent },
  429: { description: 'Rate limited; see Retry-After', content: errorContent },
  503: { description: 'Overloaded or a dependency is out of reach; see Retry-After', content: errorContent },
} as const

export const conflictResponse = { 409: { description: 'A newer revision exists', content: errorContent } } as const

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
})

export function pageSchema<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
    .openapi(name)
}

/** Ids are UUIDs or similar tokens; anything else (a NUL byte, a path) is refused before it reaches the database. */
export const idSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'not a valid id')

export const idParams = z.object({ id: idSchema.openapi({ param: { name: 'id', in: 'path' } }) })

export const roleSchema = z.enum(roles).openapi('Role')

/** Dates leave the API as ISO 8601 strings. */
export const timestamp = z.string().openapi({ format: 'date-time' })

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
})
