import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { bodyHygiene } from './api/body-hygiene.ts'
import { mountApiDocs } from './api/docs.ts'
import type { AppEnv } from './api/env.ts'
import { ApiError, errorResponse } from './api/errors.ts'
import { mountAuthRoutes } from './auth/auth-routes.ts'
import { authenticate } from './auth/authenticate.ts'
import { apiRoutes } from './routes/index.ts'
import { mountProbes } from './routes/probes.ts'
import type { Services } from './services.ts'
import { defaultWebDistDir, mountWebApp } from './web/static.ts'

/** The HTTP application: health, readiness and metrics probes, auth, the REST API under /api/v1, its OpenAPI document and docs. */
export function createApp(services: Services): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>()
  const { config, logger } = services

  app.use('*', async (c, next) => {
    c.set('services', services)
    await next()
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
      crossOriginResourcePolicy: 'same-origin',
    }),
  )
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (config.trustedOrigins.includes(origin) ? origin : null),
      credentials: true,
      allowHeaders: ['content-type', 'authorization', 'x-patchbay-org', 'last-event-id', 'range'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposeHeaders: ['retry-after', 'content-range', 'content-disposition'],
      maxAge: 600,
    }),
  )

  mountProbes(app, services)

  // Uploads have their own, larger limit (enforced while streaming them to storage).
  const jsonLimit = bodyLimit({
    maxSize: config.maxBodyBytes,
    onError: () => {
      throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request bodies are limited to ${config.maxBodyBytes} bytes`)
    },
  })
  app.use('/api/*', async (c, next) => {
    if (c.req.method === 'POST' && /^\/api\/v1\/assets\/?$/.test(c.req.path)) return next()
    return jsonLimit(c, next)
  })
  // Deep JSON, NUL and unpaired surrogates: 400 here rather than a 500 from the store.
  app.use(
    '/api/*',
    bodyHygiene({ skipBody: (method, path) => method === 'POST' && /^\/api\/v1\/assets\/?$/.test(path) }),
  )

  mountAuthRoutes(app)
  app.use('/api/v1/*', authenticate())
  app.route('/api/v1', apiRoutes())
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`pbk_…`) from POST /api/v1/api-keys',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'patchbay.session_token',
    description: 'The session cookie set by POST /api/auth/sign-in/email',
  })
  app.doc31('/api/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Patchbay API',
      version: config.version,
      description:
        'Workflows, runs, live events, assets, credentials and organisations. Errors are `{ "error": { code, message, details } }`.',
    },
    servers: [{ url: config.publicUrl }],
    security: [{ apiKey: [] }, { session: [] }],
  })
  mountApiDocs(app)
  mountWebApp(app, process.env.PATCHBAY_WEB_DIST ?? defaultWebDistDir())

  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  )
  app.onError((error, c: Context<AppEnv>) =>
    errorResponse(error, c, (fault) =>
      logger.error('request failed', {
        method: c.req.method,
        path: c.req.path,
        error: fault instanceof Error ? (fault.stack ?? fault.message) : String(fault),
      }),
    ),
  )
  return app
}
