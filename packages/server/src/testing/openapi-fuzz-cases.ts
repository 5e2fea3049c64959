/**
 * Malformed requests for every operation of an OpenAPI document, generated deterministically
 * (no randomness: a failure names the exact request, and reruns send the same ones).
 *
 * For each operation a valid-looking body is built from its schema (or taken from `seeds`),
 * then every string in it gets NUL characters, unpaired surrogates and oversized text, every
 * field gets values of the wrong type, every object gets keys with NUL / surrogates and
 * 450- and 5,000-level nesting; whole bodies are also replaced by garbage. Path parameters get
 * real ids and hostile ones, query parameters get hostile values.
 */

type Schema = Record<string, unknown>
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
  components?: { schemas?: Record<string, Schema> }
}

interface OpenApiOperation {
  parameters?: { name: string; in: string; schema?: Schema }[]
  requestBody?: { content?: Record<string, { schema?: Schema }> }
}

export interface FuzzCase {
  method: string
  /** Path with query string, ready to fetch. */
  url: string
  body?: string | Uint8Array<ArrayBuffer>
  contentType?: string
  /** What was mutated, for failure messages. */
  label: string
}

export interface FuzzPlan {
  /** Operations as `METHOD /path/{param}`. */
  operations: string[]
  cases: FuzzCase[]
}

export interface FuzzOptions {
  /** Real values for path parameters, by `{name}` as written in the path template, e.g. `/workflows/{id}`. */
  pathValues: (template: string, param: string) => string
  /** Valid bodies to start from, by `METHOD /path/{param}` (in addition to the schema's own sample). */
  seeds?: Record<string, unknown[]>
}

export const hostileIds = [
  '%00',
  'a%00b',
  '%ED%A0%80', // an unpaired surrogate, as CESU-8 (not valid UTF-8)
  '%C0%80', // an overlong NUL
  '%FF%FE',
  'x'.repeat(10_000),
  encodeURIComponent("' or 1=1 --"),
  '..%2F..%2Fetc%2Fpasswd',
  encodeURIComponent('😀'),
  '-1',
  encodeURIComponent('{"a":1}'),
]

const hostileQueryValues = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ED%B0%80x',
  'x'.repeat(10_000),
  '-1',
  'abc',
  '1e309',
  '99999999999999999999999',
  '',
  '%5B%5D',
]

const badStrings: [string, string][] = [
  ['NUL inside', 'a\u0000b'],
  ['only NUL', '\u0000'],
  ['lone high surrogate', 'x\ud800'],
  ['lone low surrogate', '\udfffx'],
  ['reversed pair', '\udc00\ud800'],
  ['100k characters', 'x'.repeat(100_000)],
]

/** Labels contain ` as ` (see planFuzzCases), so a run can leave these out. */
const wrongTypes: [string, Json][] = [
  ['null', null],
  ['negative float', -1.5],
  ['huge number', 1e308],
  ['true', true],
  ['empty object', {}],
  ['string', 'wrong'],
  ['nested array', [['x']]],
]

/** JSON text of arrays and objects nested `depth` levels (JSON.stringify itself overflows near 4,500). */
export function nestedText(depth: number): string {
  let open = ''
  let close = ''
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"d":'
    close = (i % 2 ? ']' : '}') + close
  }
  return `${open}"bottom"${close}`
}

/** Placeholders replaced by deep JSON text once the body is serialised. */
const deepMarkers: Record<string, string> = {
  '"\\u0001deep-450"': nestedText(450),
  '"\\u0001deep-5000"': nestedText(5000),
}

function serialise(value: Json): string {
  let text = JSON.stringify(value)
  for (const [marker, deep] of Object.entries(deepMarkers)) text = text.replace(marker, deep)
  return text
}

const rawBodies: [string, string | Uint8Array<ArrayBuffer>, string | undefined][] = [
  ['empty body', '', 'application/json'],
  ['garbage', 'garbage', 'application/json'],
  ['open brace', '{', 'application/json'],
  ['null', 'null', 'application/json'],
  ['array', '[]', 'application/json'],
  ['escaped NUL string', '"\\u0000"', 'application/json'],
  ['escaped surrogate in a key', '{"\\ud800":1}', 'application/json'],
  ['raw NUL in a string', '{"name":"a\u0000b"}', 'application/json'],
  ['401 nested arrays', `${'['.repeat(401)}${']'.repeat(401)}`, 'application/json'],
  ['5,000 nested arrays', `${'['.repeat(5000)}${']'.repeat(5000)}`, 'application/json'],
  ['100,000 unclosed brackets', '['.repeat(100_000), 'application/json'],
  ['5,000 nested objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`, 'application/json'],
  [
    'invalid UTF-8',
    new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    'application/json',
  ],
  ['JSON as text/plain', '{"name":"a\\u0000"}', 'text/plain'],
  ['no content type', '{"name":"x"}', undefined],
  ['form encoded NUL', 'name=a%00b', 'application/x-www-form-urlencoded'],
]

/** Every malformed request for every operation of `doc`. */
export function planFuzzCases(doc: OpenApiDocument, options: FuzzOptions): FuzzPlan {
  const schemas = doc.components?.schemas ?? {}
  const operations: string[] = []
  const cases: FuzzCase[] = []
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const verb = method.toUpperCase()
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(verb)) continue
      const name = `${verb} ${template}`
      operations.push(name)
      const params = operation.parameters ?? []
      const pathParams = params.filter((param) => param.in === 'path').map((param) => param.name)
      const queryParams = params.filter((param) => param.in === 'query')
      const realPath = fillPath(template, (param) => options.pathValues(template, param))
      const push = (label: string, url: string, body?: string | Uint8Array<ArrayBuffer>, contentType?: string) =>
        cases.push({
          method: verb,
          url,
          label: `${name}: ${label}`,
          ...(body === undefined ? {} : { body }),
          ...(contentType ? { contentType } : {}),
        })

      for (const param of pathParams) {
        for (const hostile of hostileIds) {
          const url = fillPath(template, (p) => (p === param ? hostile : options.pathValues(template, p)))
          push(`path ${param}=${hostile.slice(0, 20)}`, url)
        }
      }
      for (const param of queryParams) {
        for (const value of hostileQueryValues)
          push(`query ${param.name}=${value.slice(0, 20)}`, `${realPath}?${param.name}=${value}`)
        push(`query ${param.name} twice`, `${realPath}?${param.name}=1&${param.name}=%00`)
      }
      push('unknown query parameter with NUL', `${realPath}?zz%00=%ED%A0%80`)
      if (verb === 'GET') continue

      const schema = operation.requestBody?.content?.['application/json']?.schema
      // Operations without a body must ignore these or refuse them, just as well.
      for (const [label, body, type] of rawBodies) push(label, realPath, body, type)
      if (!schema) continue

      const given = (options.seeds?.[name] ?? []) as Json[]
      const seeds = dedupe([...given, sample(schema, schemas, 0)])
      let hugeSent = false
      for (const [seedIndex, seed] of seeds.entries()) {
        const send = (label: string, value: Json) =>
          push(`seed ${seedIndex} ${label}`, realPath, serialise(value), 'application/json')
        send('as is', seed)
        for (const { path, value } of leaves(seed)) {
          const at = path.join('.') || '(root)'
          if (typeof value === 'string') {
            for (const [label, bad] of badStrings) send(`${at} ${label}`, setAt(seed, path, bad))
            if (!hugeSent) {
              hugeSent = true
              send(`${at} 1M characters`, setAt(seed, path, 'x'.repeat(1_000_000)))
            }
          }
          // The schema's own sample adds fields the given seeds lack; their types are tried on the seeds.
          const tryTypes = seedIndex < given.length || given.length === 0
          for (const [label, wrong] of tryTypes ? wrongTypes : []) {
            if (JSON.stringify(wrong) !== JSON.stringify(value)) send(`${at} as ${label}`, setAt(seed, path, wrong))
          }
          if (value !== null && typeof value === 'object') {
            const extend = (key: string, extra: Json): Json =>
              Array.isArray(value)
                ? setAt(seed, path, [...value, extra])
                : setAt(seed, path, { ...value, [key]: extra })
            send(`${at} + NUL key`, extend('a\u0000b', 1))
            send(`${at} + surrogate key`, extend('\ud800', 'x'))
            send(`${at} + 450 levels`, extend('deep', '\u0001deep-450'))
            send(`${at} + 5,000 levels`, extend('deep', '\u0001deep-5000'))
          }
        }
      }
    }
  }
  return { operations, cases }
}

function fillPath(template: string, value: (param: string) => string): string {
  return template.replace(/\{([^}]+)\}/g, (_, param: string) => value(param))
}

function dedupe(values: Json[]): Json[] {
  const seen = new Set<string>()
  return values.filter((value) => {
    const key = JSON.stringify(value)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Every value inside `value` with its path, the root included. */
function leaves(value: Json): { path: (string | number)[]; value: Json }[] {
  const found: { path: (string | number)[]; value: Json }[] = []
  const visit = (current: Json, path: (string | number)[]) => {
    found.push({ path, value: current })
    if (Array.isArray(current)) {
      for (const [index, item] of current.entries()) visit(item, [...path, index])
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) visit(item, [...path, key])
    }
  }
  visit(value, [])
  return found
}

function setAt(root: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement
  const copy = structuredClone(root) as Record<string | number, Json>
  let parent: Record<string | number, Json> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>
  parent[path.at(-1) as string | number] = replacement
  return copy as Json
}

/** A value that satisfies `schema` as far as a simple reading of it allows. */
export function sample(schema: Schema, schemas: Record<string, Schema>, depth: number): Json {
  if (depth > 8) return null
  const ref = schema.$ref
  if (typeof ref === 'string') return sample(schemas[ref.split('/').at(-1) ?? ''] ?? {}, schemas, depth + 1)
  if ('const' in schema) return schema.const as Json
  if (Array.isArray(schema.enum)) return schema.enum[0] as Json
  if (schema.example !== undefined) return schema.example as Json
  const choices = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined
  if (choices) return sample(choices.find((choice) => choice.type !== 'null') ?? {}, schemas, depth + 1)
  if (Array.isArray(schema.allOf)) {
    const merged: Record<string, Json> = {}
    for (const part of schema.allOf as Schema[]) Object.assign(merged, sample(part, schemas, depth + 1))
    return merged
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'object': {
      const out: Record<string, Json> = {}
      const properties = (schema.properties ?? {}) as Record<string, Schema>
      for (const [key, property] of Object.entries(properties)) out[key] = sample(property, schemas, depth + 1)
      return out
    }
    case 'array':
      return [sample((schema.items ?? {}) as Schema, schemas, depth + 1)]
    case 'integer':
    case 'number': {
      const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined
      const exclusive = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined
      return minimum ?? exclusive ?? 1
    }
    case 'boolean':
      return true
    case 'string':
      return sampleString(schema)
    default:
      return 'x'
  }
}

function sampleString(schema: Schema): string {
  if (schema.format === 'email') return 'fuzz@example.com'
  if (schema.format === 'date-time') return '2026-01-01T00:00:00.000Z'
  if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000'
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 1
  const candidates = ['x', 'FUZZ_VALUE', 'fuzz', 'text/plain', 'a1', '1', 'x'.repeat(Math.max(minLength, 1))]
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern)
    return candidates.find((candidate) => pattern.test(candidate) && candidate.length >= minLength) ?? 'x'
  }
  return 'x'.repeat(Math.max(minLength, 1))
}
