import type { OpenAPIHono } from '@hono/zod-openapi'
import { bearerTokenMatches, checkReadiness, runtimeReadinessChecks } from '@patchbay/runtime'
import type { AppEnv } from '../api/env.ts'
import type { Services } from '../services.ts'

/**
 * The process probes, outside `/api` and without sign-in: `GET /health` (the process lives),
 * `GET /ready` (200, or 503 naming the dependency that failed) and `GET /metrics` (Prometheus
 * text; behind `Authorization: Bearer $PATCHBAY_METRICS_TOKEN` when that is set).
 */
export function mountProbes(app: OpenAPIHono<AppEnv>, services: Services): void {
  const { config } = services
  const checks = runtimeReadinessChecks(services.runtime, services.readinessChecks)
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
    const readiness = await checkReadiness(checks)
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
