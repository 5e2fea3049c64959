/**
 * `{{inputs.name}}` references to workflow-level inputs, usable inside any string param.
 * Substitution is plain text replacement: no code runs.
 */
const INPUT_REF = /\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

/** Names of the workflow inputs referenced anywhere inside `value` (deep; iterative, so any depth is safe). */
export function findInputRefs(value: unknown, found = new Set<string>()): Set<string> {
  const pending: unknown[] = [value]
  while (pending.length > 0) {
    const item = pending.pop()
    if (typeof item === 'string') {
      for (const match of item.matchAll(INPUT_REF)) found.add(match[1] as string)
    } else if (Array.isArray(item)) {
      for (let index = item.length - 1; index >= 0; index--) pending.push(item[index])
    } else if (isPlainObject(item)) {
      const values = Object.values(item)
      for (let index = values.length - 1; index >= 0; index--) pending.push(values[index])
    }
  }
  return found
}

/** Returns a copy of `value` with every `{{inputs.x}}` replaced by the text of `inputs.x`. */
export function substituteInputs<T>(value: T, inputs: Record<string, unknown>): T {
  if (typeof value === 'string') {
    return value.replace(INPUT_REF, (_, name: string) =>
      stringifyInput(Object.hasOwn(inputs, name) ? inputs[name] : undefined),
    ) as T
  }
  if (Array.isArray(value)) return value.map((item) => substituteInputs(item, inputs)) as T
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      Object.defineProperty(out, key, {
        value: substituteInputs(item, inputs),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return out as T
  }
  return value
}

function stringifyInput(value: unknown): string {
  if (value === undefined || value === null) return ''
  return typeof value === 'string' ? value : JSON.stringify(value)
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
