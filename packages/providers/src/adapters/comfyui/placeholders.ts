import { NodeError } from '@patchbay/core'
import type { ComfyGraph } from './graph.ts'

export const placeholderNames = [
  'prompt',
  'negativePrompt',
  'seed',
  'width',
  'height',
  'batchSize',
  'image',
  'mask',
] as const
export type PlaceholderName = (typeof placeholderNames)[number]
export type PlaceholderValues = Partial<Record<PlaceholderName, string | number>>

const placeholder = /\{\{(\w+)\}\}/g
const wholePlaceholder = /^\{\{(\w+)\}\}$/

/** The placeholders a graph's string values mention. */
export function placeholdersIn(graph: ComfyGraph): Set<string> {
  const found = new Set<string>()
  visitStrings(graph, (text) => {
    for (const match of text.matchAll(placeholder)) found.add(match[1]!)
    return text
  })
  return found
}

/**
 * Replaces `{{name}}` in every string value. A string that is only a placeholder becomes
 * the value itself, so `"{{seed}}"` turns into a number the node accepts.
 */
export function fillPlaceholders(graph: ComfyGraph, values: PlaceholderValues, workflow: string): ComfyGraph {
  const valueFor = (name: string) => {
    if (!(placeholderNames as readonly string[]).includes(name)) {
      throw new NodeError(
        'INVALID_WORKFLOW',
        `workflow ${workflow} uses unknown placeholder {{${name}}}; known: ${placeholderNames.map((n) => `{{${n}}}`).join(' ')}`,
      )
    }
    const value = values[name as PlaceholderName]
    if (value === undefined) {
      throw new NodeError(
        'INVALID_INPUT',
        `workflow ${workflow} needs {{${name}}}, which this request has no value for`,
      )
    }
    return value
  }
  return visitStrings(graph, (text) => {
    const whole = wholePlaceholder.exec(text)
    if (whole) return valueFor(whole[1]!)
    return text.replace(placeholder, (_, name: string) => String(valueFor(name)))
  }) as ComfyGraph
}

function visitStrings(value: unknown, replace: (text: string) => unknown): unknown {
  if (typeof value === 'string') return replace(value)
  if (Array.isArray(value)) return value.map((item) => visitStrings(item, replace))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visitStrings(item, replace)]))
  }
  return value
}
