import { MAX_JSON_DEPTH } from '@patchbay/core'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'
import { ApiError } from './errors.ts'

/**
 * Refuses, before any route sees them, requests that would otherwise fail deep inside the
 * server: JSON nested deeper than {@link MAX_JSON_DEPTH} (`JSON_TOO_DEEP`; recursive code such
 * as `JSON.stringify` overflows the stack near 4,500 levels), and text with a NUL character or
 * an unpaired UTF-16 surrogate (`INVALID_TEXT`; PostgreSQL stores neither, and `encodeURI`
 * throws on the latter) anywhere in the body, the query string or the path.
 *
 * Runs after the body limit, so the text read here is bounded; it reads a clone, leaving the
 * request for the route (and better-auth, which reads `c.req.raw`) untouched. `skipBody` names
 * requests whose body is not JSON and is streamed elsewhere (uploads).
 */
export function bodyHygiene(
  options: { skipBody?: (method: string, path: string) => boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkPath(c.req.url)
    checkQuery(c.req.url)
    const method = c.req.method
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
    // Decided before touching `c.req.raw.body`: creating that stream for a body nobody reads
    // keeps @hono/node-server from draining it, and the connection is then cut.
    const readBody =
      method !== 'GET' &&
      method !== 'HEAD' &&
      !mediaType.startsWith('multipart/') &&
      !options.skipBody?.(method, c.req.path)
    if (readBody && c.req.raw.body) {
      const text = await c.req.raw.clone().text()
      if (mediaType === 'application/x-www-form-urlencoded') checkPairs(new URLSearchParams(text), 'body')
      else checkJsonText(text)
    }
    await next()
  }
}

/** Throws `JSON_TOO_DEEP` or `INVALID_TEXT` for a JSON text the API refuses; text that is not JSON passes. */
export function checkJsonText(text: string): void {
  const depth = jsonDepth(text, MAX_JSON_DEPTH)
  if (depth > MAX_JSON_DEPTH) {
    throw new ApiError(
      400,
      'JSON_TOO_DEEP',
      `the request body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
      { details: { maxDepth: MAX_JSON_DEPTH } },
    )
  }
  // Fast path: without an escape or a raw NUL, decoded UTF-8 cannot hold either problem.
  if (!text.includes('\\u') && isCleanText(text)) return
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // Not JSON: the route answers that. A raw NUL is never valid inside a JSON string anyway.
    return
  }
  const bad = findInvalidText(value)
  if (bad) throw invalidText('body', bad)
}

/**
 * How deep arrays and objects nest in a JSON text, counted without recursion and ignoring
 * brackets inside strings. Stops counting once past `stopAbove`.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (inString) {
      if (code === 0x5c)
        i++ // backslash: skip the escaped character
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x5b || code === 0x7b) {
      depth++
      if (depth > deepest) {
        deepest = depth
        if (deepest > stopAbove) return deepest
      }
    } else if (code === 0x5d || code === 0x7d) depth--
  }
  return deepest
}

/** Whether a string can be stored and encoded: no NUL, no unpaired surrogate. */
export function isCleanText(text: string): boolean {
  return !unclean.test(text)
}

// In `u` mode a surrogate pair is one code point, so `\p{Cs}` matches only unpaired halves.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what is looked for
const unclean = /\u0000|\p{Cs}/u

interface Step {
  value: unknown
  parent: Step | undefined
  key: string | number
}

/** The JSON path of the first key or string value inside `value` that is not clean text (iterative). */
export function findInvalidText(value: unknown): (string | number)[] | undefined {
  const stack: Step[] = [{ value, parent: undefined, key: '' }]
  for (let step = stack.pop(); step; step = stack.pop()) {
    const current = step.value
    if (typeof current === 'string') {
      if (!isCleanText(current)) return pathOf(step)
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({ value: current[index], parent: step, key: index })
      }
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current)
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index] as [string, unknown]
        if (!isCleanText(key)) return [...pathOf(step), key]
        stack.push({ value: child, parent: step, key })
      }
    }
  }
  return undefined
}

function pathOf(step: Step): (string | number)[] {
  const path: (string | number)[] = []
  for (let at: Step | undefined = step; at?.parent; at = at.parent) path.push(at.key)
  return path.reverse()
}

function checkPath(url: string): void {
  const start = url.indexOf('/', url.indexOf('//') + 2)
  const end = url.indexOf('?')
  const path = start < 0 ? '' : url.slice(start, end < 0 ? undefined : end)
  for (const segment of path.split('/')) {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      continue // not percent-encoded UTF-8: routes see it as it is
    }
    if (!isCleanText(decoded)) throw invalidText('path', [segment])
  }
}

function checkQuery(url: string): void {
  const start = url.indexOf('?')
  if (start >= 0) checkPairs(new URLSearchParams(url.slice(start + 1)), 'query')
}

function checkPairs(pairs: URLSearchParams, where: 'query' | 'body'): void {
  for (const [key, value] of pairs) {
    if (!isCleanText(key)) throw invalidText(where, [key])
    if (!isCleanText(value)) throw invalidText(where, [key])
  }
}

function invalidText(where: 'body' | 'query' | 'path', path: (string | number)[]): ApiError {
  const shown = path.map((part) => JSON.stringify(String(part).slice(0, 64)).slice(1, -1)).join('.')
  return new ApiError(
    400,
    'INVALID_TEXT',
    `the request ${where} holds a NUL character or an unpaired UTF-16 surrogate${shown ? ` at ${shown}` : ''}; neither can be stored`,
    { details: { location: where, path: path.map((part) => (typeof part === 'string' ? part.slice(0, 200) : part)) } },
  )
}
