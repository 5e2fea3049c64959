/** Objects nested deeper than this are cut off rather than walked. */
const MAX_DEPTH = 16

/**
 * A copy of `value` with `map` applied to every string in it (keys are kept). Errors become
 * plain `{ type, message, stack, … }` objects (their cause kept), values with `toJSON` (URL,
 * Date) are converted first, cycles become `[circular]`, byte arrays and other primitives are
 * returned as they are. Used to scrub secrets out of log data, events and stored errors.
 *
 * @example
 * mapStrings({ error: new Error('bad key sk-1') }, (text) => text.replaceAll('sk-1', '…'))
 * // { error: { type: 'Error', message: 'bad key …', stack: '…' } }
 */
export function mapStrings(value: unknown, map: (text: string) => string): unknown {
  return walk(value, map, new Set(), 0)
}

function walk(value: unknown, map: (text: string) => string, ancestors: Set<object>, depth: number): unknown {
  if (typeof value === 'string') return map(value)
  if (value === null || typeof value !== 'object') return value
  if (ancestors.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[too deep]'
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
  ancestors.add(value)
  try {
    if (Array.isArray(value)) return value.map((item) => walk(item, map, ancestors, depth + 1))
    if (value instanceof Error) return walk(errorFields(value), map, ancestors, depth + 1)
    const withJson = value as { toJSON?: unknown }
    if (typeof withJson.toJSON === 'function') return walk(withJson.toJSON(), map, ancestors, depth + 1)
    const copy: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) copy[key] = walk(item, map, ancestors, depth + 1)
    return copy
  } finally {
    ancestors.delete(value)
  }
}

/** The fields pino's error serialiser writes, with the cause chain kept. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  }
  for (const [key, item] of Object.entries(error)) if (!(key in fields)) fields[key] = item
  if (error.cause !== undefined) fields.cause = error.cause
  return fields
}
