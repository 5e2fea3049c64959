import type { Runtime } from '@patchbay/runtime'
import { Hono } from 'hono'

/** The HTTP application. The REST API and the canvas mount here in later releases. */
export function createApp(runtime: Runtime, info: { version: string }): Hono {
  const app = new Hono()
  app.get('/health', (c) =>
    c.json({
      status: 'ok',
      version: info.version,
      database: runtime.store.kind,
      storage: runtime.assets.kind,
      activeRuns: runtime.engine.activeRuns,
    }),
  )
  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  )
  app.onError((error, c) =>
    c.json({ error: { code: 'INTERNAL', message: 'internal error' } }, 500, { 'x-error': error.name }),
  )
  return app
}
