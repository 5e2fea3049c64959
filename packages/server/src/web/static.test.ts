import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../testing/index.ts'
import { mountWebApp } from './static.ts'

const indexHtml =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>'
const bigScript = `console.log(${JSON.stringify('x'.repeat(4000))})\n`

let root: string
let dist: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'patchbay-web-'))
  dist = join(root, 'dist')
  await mkdir(join(dist, 'assets'), { recursive: true })
  await writeFile(join(dist, 'index.html'), indexHtml)
  await writeFile(join(dist, 'assets/index-abc123.js'), bigScript)
  await writeFile(join(dist, 'assets/index-abc123.css'), 'body{margin:0}')
  await writeFile(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  await writeFile(join(dist, '.build-hash'), 'secret-ish')
  await writeFile(join(root, 'outside.txt'), 'must not be served')
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** The shape of app.ts: API routes first, the web app, then a JSON 404. */
function appServing(distDir: string): Hono {
  const app = new Hono()
  app.get('/health', (c) => c.json({ status: 'ok' }))
  app.get('/api/v1/things', (c) => c.json({ items: [] }))
  mountWebApp(app, distDir)
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no route' } }, 404))
  return app
}

describe('mountWebApp', () => {
  it('serves index.html at / without caching it', async () => {
    const response = await appServing(dist).request('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(await response.text()).toBe(indexHtml)
  })

  it('serves hashed assets as immutable with their content type', async () => {
    const app = appServing(dist)
    const script = await app.request('/assets/index-abc123.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await script.text()).toBe(bigScript)
    const style = await app.request('/assets/index-abc123.css')
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const icon = await app.request('/favicon.svg')
    expect(icon.headers.get('content-type')).toBe('image/svg+xml')
    expect(icon.headers.get('cache-control')).toBe('no-cache')
  })

  it('gzips text files for clients that accept it, and answers a matching ETag with 304', async () => {
    const app = appServing(dist)
    const zipped = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toBe('accept-encoding')
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(bigScript)
    const etag = zipped.headers.get('etag')
    expect(etag).toBeTruthy()
    const again = await app.request('/assets/index-abc123.js', { headers: { 'if-none-match': etag as string } })
    expect(again.status).toBe(304)
  })

  it('answers client-side routes with the app, but missing files and the API with the JSON 404', async () => {
    const app = appServing(dist)
    for (const path of ['/workflows/wf_123', '/settings/api-keys', '/assets', '/assets/ast_1']) {
      const response = await app.request(path)
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({
        path,
        status: 200,
        type: 'text/html; charset=utf-8',
      })
      expect(await response.text()).toBe(indexHtml)
    }
    for (const path of ['/assets/index-gone.js', '/api/v1/nope', '/api', '/api/docs/nope.css']) {
      const response = await app.request(path)
      expect({ path, status: response.status }).toEqual({ path, status: 404 })
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    }
    // A navigation to something that looks like a file still gets the app (e.g. /docs/v1.2).
    const navigation = await app.request('/docs/v1.2', { headers: { accept: 'text/html,*/*' } })
    expect(navigation.status).toBe(200)
    expect((await app.request('/api/v1/things')).status).toBe(200)
    expect(await (await app.request('/health')).json()).toEqual({ status: 'ok' })
    expect((await app.request('/', { method: 'POST' })).status).toBe(404)
  })

  it('serves no dot-files and nothing outside dist, however the path is spelled', async () => {
    const app = appServing(dist)
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
    await new Promise((resolve) => server.once('listening', resolve))
    const { port } = server.address() as AddressInfo
    try {
      for (const path of [
        '/../outside.txt',
        '/assets/../../outside.txt',
        '/..%2foutside.txt',
        '/%2e%2e/outside.txt',
        '/assets/..%2f..%2foutside.txt',
        '/..%5coutside.txt',
        '/.build-hash',
        '/assets/%2e%2e/.build-hash',
        '/index.html%00.js',
      ]) {
        const { status, body } = await rawGet(port, path)
        expect(body, path).not.toContain('must not be served')
        expect(body, path).not.toContain('secret-ish')
        expect([200, 400, 404], path).toContain(status)
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('says how to build the app when dist is missing', async () => {
    const response = await appServing(join(root, 'no-such-dist')).request('/')
    expect(response.status).toBe(503)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await response.text()).toContain('npm run build')
  })
})

describe('the web app in the server', () => {
  let server: TestServer
  beforeAll(async () => {
    // app.ts reads this when the app is created.
    process.env.PATCHBAY_WEB_DIST = dist
    server = await startTestServer()
  })
  afterAll(async () => {
    await server?.close()
    delete process.env.PATCHBAY_WEB_DIST
  })

  it('serves the app with a CSP that allows its own scripts and styles, and keeps API 404s JSON', async () => {
    const page = await server.fetch('/workflows/abc')
    expect(page.status).toBe(200)
    expect(await page.text()).toBe(indexHtml)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/)
    const script = await server.fetch('/assets/index-abc123.js')
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const missing = await server.fetch('/api/v1/nope')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/)
    expect((await server.fetch('/health')).status).toBe(200)
  })
})

function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: 'GET' }, (response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
    })
    request.on('error', reject)
    request.end()
  })
}
