import type { OpenAPIHono } from '@hono/zod-openapi'
import { assetStoreCheck, bearerTokenMatches, checkReadiness, type ReadinessCheck } from '@patchbay/runtime'
import type { AppEnv } from '../api/env.ts'
import type { Services } from '../services.ts'

/** The dependencies `/ready` checks: the database, the asset store, and what the services add (Redis…). */
export function readinessChecks(services: Services): Record<string, ReadinessCheck> {
  const { store, assets } = services.runtime
  return {
    database: () => store.ping(),
    assets: assetStoreCheck(assets),
    ...services.readinessChecks,
  }
}

/**
 * The process probes, outside `/api` and without sign-in: `GET /health` (the process lives),
 * `GET /ready` (200, or 503 naming the dependency that failed) and `GET /metrics` (Prometheus
 * text; behind `Authorization: Bearer $PATCHBAY_METRICS_TOKEN` when that is set).
 */
export function mountProbes(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { config } = services
  app.get('/health', (c) =>
    c.json({
      status: 'ok',
      version: config.version,
      database: services.runtime.store.kind,
      storage: services.runtime.assets.kind,
      activeRuns: services.runtime.engine.activeRuns,
    }),
  )

  app.get('/ready', async (c) => {
    const readiness = await checkReadiness(readinessChecks(services))
    c.header('cache-control', 'no-store')
    return c.json(readiness, readiness.ready ? 200 : 503)
  })

  app.get('/metrics', async (c) => {
    const { metrics } = services
    if (!metrics) return c.json({ error: { code: 'NOT_FOUND', message: 'metrics are not enabled' } }, 404)
    if (config.metricsToken !== undefined && !bearerTokenMatches(c.req.header('authorization'), config.metricsToken)) {
      c.header('www-authenticate', 'Bearer')
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'metrics need a bearer token' } }, 401)
    }
    const { contentType, body } = await metrics.render()
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' })
  })
}
