import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { MetricsRenderer } from '../metrics/prometheus.ts'
import { bearerTokenMatches } from './bearer-token.ts'
import type { Readiness } from './readiness.ts'

export interface EndpointServerOptions {
  host: string
  /** 0 picks a free port (see `url`). */
  port: number
  ready: () => Promise<Readiness>
  metrics?: MetricsRenderer
  /** When set, `/metrics` needs `Authorization: Bearer <token>` (`PATCHBAY_METRICS_TOKEN`). */
  metricsToken?: string
}

export interface EndpointServer {
  /** `http://host:port`, with the port actually bound. */
  url: string
  close(): Promise<void>
}

/**
 * The probes of a process that has no API server (a `patchbay worker`): `GET /health` (alive),
 * `GET /ready` (200, or 503 with the failing checks) and `GET /metrics` (Prometheus text).
 * Everything else is a JSON 404.
 *
 * @example
 * const probes = await startEndpointServer({ host: '0.0.0.0', port: 9464, ready: () => checkReadiness(checks), metrics: prom })
 */
export async function startEndpointServer(options: EndpointServerOptions): Promise<EndpointServer> {
  const server = createServer((request, response) => {
    handle(options, request, response).catch(() => {
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'INTERNAL', message: 'internal error' } })
      else response.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { address, port } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // Scrapers keep connections alive; without this close() would wait for them to time out.
        server.closeAllConnections()
      }),
  }
}

async function handle(options: EndpointServerOptions, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? '/', 'http://probe').pathname
  const known = path === '/health' || path === '/ready' || path === '/metrics'
  if (!known || (path === '/metrics' && !options.metrics)) {
    return sendJson(response, 404, { error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${path}` } })
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD')
    return sendJson(response, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${path} answers GET only` } })
  }
  if (path === '/health') return sendJson(response, 200, { status: 'ok' })
  if (path === '/ready') {
    const readiness = await options.ready()
    return sendJson(response, readiness.ready ? 200 : 503, readiness)
  }
  if (options.metricsToken && !bearerTokenMatches(request.headers.authorization, options.metricsToken)) {
    response.setHeader('www-authenticate', 'Bearer')
    return sendJson(response, 401, { error: { code: 'UNAUTHORIZED', message: 'metrics need a bearer token' } })
  }
  const { contentType, body } = await (options.metrics as MetricsRenderer).render()
  response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
  response.end(body)
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  response.end(JSON.stringify(body))
}
