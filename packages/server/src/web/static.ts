import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { Context, Env, Hono } from 'hono'

const gzipAsync = promisify(gzip)

/** Where `npm run build -w @patchbay/web` writes the app, seen from this file. */
export function defaultWebDistDir(): string {
  return fileURLToPath(new URL('../../../web/dist', import.meta.url))
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
}
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.xml', '.webmanifest'])

/** Vite puts content-hashed files here: their name changes whenever their bytes do. */
const immutable = 'public, max-age=31536000, immutable'

const missingBuildPage = (distDir: string) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Patchbay</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
  <h1>Patchbay is running, but its web app is not built</h1>
  <p>No <code>index.html</code> in <code>${escapeHtml(distDir)}</code>. Build it with</p>
  <pre>npm run build</pre>
  <p>(<code>npm start</code> does this by itself), or point <code>PATCHBAY_WEB_DIST</code> at a built copy.
  The API works meanwhile: <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>`

/**
 * Serves the built web app (Vite's `dist/`) at `/`: files as they are, hashed `/assets/*` cached
 * for a year, `index.html` revalidated on every load, and `index.html` for every other GET that
 * is not the API or `/health` so that client-side routes survive a reload. Mount it after the
 * API routes: it only ever calls `next()` (the app's JSON 404) for paths it does not own.
 *
 * The directory is looked at on each request, so building the app while the server runs works.
 *
 * @example
 * mountWebApp(app, process.env.PATCHBAY_WEB_DIST ?? defaultWebDistDir())
 */
export function mountWebApp<E extends Env>(app: Hono<E>, distDir: string): void {
  const root = resolve(distDir)
  const gzipped = new GzipCache()

  app.get('*', async (c, next) => {
    const path = c.req.path
    if (path === '/health' || path === '/api' || path.startsWith('/api/')) return next()

    const file = await fileFor(root, path)
    if (file) return serveFile(c, file, path.startsWith('/assets/') ? immutable : 'no-cache', gzipped)

    // A missing script or stylesheet must not be answered with HTML (the browser would run or
    // parse a page); navigations to client-side routes get the app.
    if (looksLikeFile(path) && !acceptsHtml(c)) return next()
    const index = await fileFor(root, '/index.html')
    if (!index) return c.html(missingBuildPage(root), 503, { 'cache-control': 'no-store' })
    return serveFile(c, index, 'no-cache', gzipped)
  })
}

interface StaticFile {
  path: string
  size: number
  mtimeMs: number
}

/** The regular file `urlPath` names inside `root`, or undefined (never a path outside `root`). */
async function fileFor(root: string, urlPath: string): Promise<StaticFile | undefined> {
  if (urlPath.includes('\0') || urlPath.includes('\\')) return undefined
  const segments = urlPath.split('/').filter(Boolean)
  // Dot-files (`.build-hash`, `.DS_Store`) and `..` are never served.
  if (segments.some((segment) => segment.startsWith('.'))) return undefined
  if (segments.length === 0) return undefined
  const path = resolve(root, ...segments)
  if (!path.startsWith(root + sep)) return undefined
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) return undefined
  return { path, size: info.size, mtimeMs: info.mtimeMs }
}

async function serveFile(c: Context, file: StaticFile, cacheControl: string, gzipped: GzipCache): Promise<Response> {
  const type = extname(file.path).toLowerCase()
  const etag = `W/"${file.size.toString(16)}-${Math.floor(file.mtimeMs).toString(16)}"`
  const headers: Record<string, string> = {
    'content-type': contentTypes[type] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    etag,
  }
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)

  if (compressible.has(type) && file.size > 1024) {
    headers.vary = 'accept-encoding'
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      const body = await gzipped.get(file)
      return c.body(new Uint8Array(body), 200, { ...headers, 'content-encoding': 'gzip' })
    }
  }
  if (c.req.method === 'HEAD') return c.body(null, 200, { ...headers, 'content-length': String(file.size) })
  const stream = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>
  return c.body(stream, 200, { ...headers, 'content-length': String(file.size) })
}

/** Compressed copies of the app's text files, made once per file version (the app is a few MB at most). */
class GzipCache {
  readonly #entries = new Map<string, { key: string; body: Promise<Buffer> }>()

  get(file: StaticFile): Promise<Buffer> {
    const key = `${file.size}:${file.mtimeMs}`
    const cached = this.#entries.get(file.path)
    if (cached?.key === key) return cached.body
    const body = readFile(file.path).then((bytes) => gzipAsync(bytes))
    body.catch(() => this.#entries.delete(file.path))
    this.#entries.set(file.path, { key, body })
    return body
  }
}

function looksLikeFile(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1)
  return /\.[a-z0-9]+$/i.test(last)
}

function acceptsHtml(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/html')
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
