import {
  findInputRefs,
  parseInputText,
  type Workflow,
  type WorkflowInput,
  type WorkflowInputType,
} from '@patchbay/core'

// Pure edits of the workflow's declared inputs (`document.inputs`) and the typed values a run
// is started with. Each edit returns a new document, or the same one when nothing changes (so
// the undo history records nothing).

/** What the document's schema accepts as an input name. */
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The text a param uses to refer to an input. */
export function inputRef(name: string): string {
  return `{{inputs.${name}}}`
}

/** Why `name` cannot name an input of `document` (renaming `current` to it), or undefined when it can. */
export function checkInputName(document: Workflow, name: string, current?: string): string | undefined {
  if (name === '') return 'Give the input a name'
  if (!INPUT_NAME.test(name)) return 'Use letters, digits and "_", not starting with a digit'
  if (name !== current && Object.hasOwn(document.inputs, name)) return `There is already an input "${name}"`
  return undefined
}

/** A free name like `input_2`. */
export function newInputName(document: Workflow, base = 'input'): string {
  for (let n = 1; ; n++) {
    const name = `${base}_${n}`
    if (!Object.hasOwn(document.inputs, name)) return name
  }
}

/** Declares a new input at the end of the list (unchanged when the name is taken or invalid). */
export function addInput(
  document: Workflow,
  name: string,
  input: WorkflowInput = { type: 'text', default: '' },
): Workflow {
  if (checkInputName(document, name) !== undefined) return document
  return { ...document, inputs: { ...document.inputs, [name]: input } }
}

/**
 * Changes an input's default or description; `undefined` removes the field. Changing the type
 * converts the default when it can (`"3"` → 3) and drops it when it cannot.
 */
export function updateInput(
  document: Workflow,
  name: string,
  patch: Partial<Pick<WorkflowInput, 'type' | 'default' | 'description'>>,
): Workflow {
  const input = document.inputs[name]
  if (!input) return document
  const next: WorkflowInput = { ...input }
  if ('type' in patch && patch.type !== undefined && patch.type !== input.type) {
    next.type = patch.type
    const converted = convertValue(patch.type, input.default)
    if (converted === undefined) delete next.default
    else next.default = converted
  }
  if ('default' in patch) {
    if (patch.default === undefined) delete next.default
    else next.default = patch.default
  }
  if ('description' in patch) {
    if (patch.description === undefined || patch.description === '') delete next.description
    else next.description = patch.description
  }
  const same =
    next.type === input.type &&
    Object.is(next.default, input.default) &&
    'default' in next === 'default' in input &&
    next.description === input.description
  if (same) return document
  return { ...document, inputs: { ...document.inputs, [name]: next } }
}

/**
 * Renames an input, keeping its place in the list, and rewrites every `{{inputs.from}}` in the
 * nodes' params to `{{inputs.to}}`. Unchanged when `to` is taken or not a valid name.
 *
 * @example
 * renameInput(document, 'topic', 'subject') // "Write about {{inputs.topic}}" → "Write about {{inputs.subject}}"
 */
export function renameInput(document: Workflow, from: string, to: string): Workflow {
  if (from === to || !Object.hasOwn(document.inputs, from)) return document
  if (checkInputName(document, to, from) !== undefined) return document
  const inputs: Workflow['inputs'] = {}
  for (const [name, input] of Object.entries(document.inputs)) inputs[name === from ? to : name] = input
  let nodesChanged = false
  const nodes = document.nodes.map((node) => {
    const params = renameInputRefs(node.params, from, to)
    if (params === node.params) return node
    nodesChanged = true
    return { ...node, params }
  })
  return { ...document, inputs, nodes: nodesChanged ? nodes : document.nodes }
}

/** Removes an input's declaration; references to it stay (and are reported by validation). */
export function removeInput(document: Workflow, name: string): Workflow {
  if (!Object.hasOwn(document.inputs, name)) return document
  const inputs = { ...document.inputs }
  delete inputs[name]
  return { ...document, inputs }
}

/** Ids of the nodes whose params refer to `name`, in document order. */
export function nodesUsingInput(document: Workflow, name: string): string[] {
  return document.nodes.filter((node) => findInputRefs(node.params).has(name)).map((node) => node.id)
}

/**
 * `value` with `{{inputs.from}}` (spaces inside the braces allowed) rewritten to refer to `to`,
 * deep through arrays and plain objects. Returns `value` itself when nothing refers to `from`.
 */
export function renameInputRefs<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') {
    const pattern = new RegExp(`(\\{\\{\\s*inputs\\.)${escapeRegExp(from)}(\\s*\\}\\})`, 'g')
    const next = value.replace(pattern, (_, open: string, close: string) => `${open}${to}${close}`)
    return (next === value ? value : next) as T
  }
  if (Array.isArray(value)) {
    let changed = false
    const next = value.map((item) => {
      const renamed = renameInputRefs(item, from, to)
      if (renamed !== item) changed = true
      return renamed
    })
    return (changed ? next : value) as T
  }
  if (isPlainObject(value)) {
    let changed = false
    const next: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const renamed = renameInputRefs(item, from, to)
      if (renamed !== item) changed = true
      next[key] = renamed
    }
    return (changed ? next : value) as T
  }
  return value
}

/** Whether `value` is a valid value of an input of this type. */
export function fitsType(type: WorkflowInputType, value: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'json':
      return value !== undefined
  }
}

/** `value` as a value of `type` when it converts without guessing, else undefined. */
export function convertValue(type: WorkflowInputType, value: unknown): unknown {
  if (value === undefined || fitsType(type, value)) return value
  if (type === 'text') return typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (typeof value !== 'string') return undefined
  try {
    return parseInputText(type, value.trim())
  } catch {
    return undefined
  }
}

/** How a value is shown in a text field of an input of `type` ('' for none). */
export function valueToText(type: WorkflowInputType, value: unknown): string {
  if (value === undefined) return ''
  if (type === 'json') return JSON.stringify(value, null, 2)
  return typeof value === 'string' ? value : String(value)
}

/** Parses what was typed into a field of an input of `type`. */
export function textToValue(
  type: WorkflowInputType,
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  if (type === 'text') return { ok: true, value: text }
  if (text.trim() === '') {
    return {
      ok: false,
      error: type === 'number' ? 'Enter a number' : type === 'json' ? 'Enter JSON' : 'Choose a value',
    }
  }
  try {
    return { ok: true, value: parseInputText(type, text.trim()) }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) }
  }
}

/**
 * The values a run dialog starts with: for each declared input, the value used last time
 * (when it still fits the input's type), else its default, else an empty value of its type.
 */
export function initialRunValues(
  inputs: Workflow['inputs'],
  remembered: Record<string, unknown> = {},
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const [name, input] of Object.entries(inputs)) {
    const last = Object.hasOwn(remembered, name) ? remembered[name] : undefined
    if (last !== undefined && fitsType(input.type, last)) values[name] = last
    else if (input.default !== undefined) values[name] = input.default
    else values[name] = input.type === 'text' ? '' : input.type === 'boolean' ? false : undefined
  }
  return values
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
