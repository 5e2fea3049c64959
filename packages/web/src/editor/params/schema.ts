/** One property of a node's params JSON Schema, as much of it as the form needs. */
export interface JsonSchemaProperty {
  type?: string | string[]
  enum?: unknown[]
  default?: unknown
  description?: string
  title?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  anyOf?: JsonSchemaProperty[]
  items?: JsonSchemaProperty
}

export type FieldKind = 'text' | 'textarea' | 'number' | 'slider' | 'select' | 'toggle' | 'model' | 'seed' | 'json'

/** How one param is edited on the node card. */
export interface ParamField {
  key: string
  kind: FieldKind
  label: string
  description?: string
  defaultValue?: unknown
  required: boolean
  integer: boolean
  min?: number
  max?: number
  options?: unknown[]
  /** Several JSON types allowed (`string | number | boolean`): typed text is coerced. */
  loose?: boolean
}

const longTextNames = new Set(['prompt', 'template', 'system', 'text', 'value', 'negativeprompt', 'content'])

/**
 * The form fields of a params schema, `model` first, then in schema order. The kind is chosen
 * from the JSON Schema: enum → select, boolean → toggle, bounded number → slider, prompt-like
 * string → textarea, `model` → model picker, `seed` → seed field.
 */
export function fieldsOf(schema: unknown): ParamField[] {
  const object = schema as { properties?: Record<string, JsonSchemaProperty>; required?: string[] } | null
  const properties = object?.properties ?? {}
  const required = new Set(object?.required ?? [])
  const fields = Object.entries(properties).map(([key, property]) => fieldOf(key, property, required.has(key)))
  return fields.sort((a, b) => Number(b.kind === 'model') - Number(a.kind === 'model'))
}

function fieldOf(key: string, raw: JsonSchemaProperty, required: boolean): ParamField {
  const property = unwrap(raw)
  const types = Array.isArray(property.type) ? property.type : property.type ? [property.type] : []
  const base: ParamField = {
    key,
    kind: 'text',
    label: humanize(key),
    required,
    integer: types.includes('integer'),
    ...(types.length > 1 ? { loose: true } : {}),
    ...(property.description ? { description: property.description } : {}),
    ...(property.default !== undefined ? { defaultValue: property.default } : {}),
  }
  const min = property.minimum ?? property.exclusiveMinimum
  const max = property.maximum ?? property.exclusiveMaximum
  if (min !== undefined) base.min = property.exclusiveMinimum !== undefined && base.integer ? min + 1 : min
  if (max !== undefined) base.max = property.exclusiveMaximum !== undefined && base.integer ? max - 1 : max

  if (property.enum) return { ...base, kind: 'select', options: property.enum }
  if (key === 'model' && types.includes('string')) return { ...base, kind: 'model' }
  if (key === 'seed' && (base.integer || types.includes('number'))) return { ...base, kind: 'seed' }
  if (types.length === 1 && types[0] === 'boolean') return { ...base, kind: 'toggle' }
  if (types.length === 1 && (types[0] === 'number' || types[0] === 'integer')) {
    const bounded = base.min !== undefined && base.max !== undefined
    const narrow = bounded && (types[0] === 'number' || (base.max as number) - (base.min as number) <= 1000)
    return { ...base, kind: narrow ? 'slider' : 'number' }
  }
  if (types.length === 1 && types[0] === 'string') {
    const described = /\btext\b|prompt/i.test(property.description ?? '')
    return { ...base, kind: longTextNames.has(key.toLowerCase()) || described ? 'textarea' : 'text' }
  }
  if (types.includes('object') || types.includes('array')) return { ...base, kind: 'json' }
  return base
}

/** `anyOf: [X, {type: 'null'}]` and similar reduce to X. */
function unwrap(property: JsonSchemaProperty): JsonSchemaProperty {
  const options = property.anyOf?.filter((option) => option.type !== 'null')
  if (options?.length === 1 && options[0]) {
    return { ...options[0], ...pick(property, ['default', 'description']) }
  }
  return property
}

function pick(property: JsonSchemaProperty, keys: (keyof JsonSchemaProperty)[]): JsonSchemaProperty {
  const result: JsonSchemaProperty = {}
  for (const key of keys) if (property[key] !== undefined) Object.assign(result, { [key]: property[key] })
  return result
}

/** `negativePrompt` → `Negative prompt`. */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** Coerces free text typed into a field with a mixed type (`string | number | boolean`). */
export function coerceLoose(text: string): unknown {
  if (text === '') return undefined
  if (text === 'true') return true
  if (text === 'false') return false
  const number = Number(text)
  return text.trim() !== '' && Number.isFinite(number) ? number : text
}
