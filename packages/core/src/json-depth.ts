/**
 * The deepest nesting of arrays and objects a workflow document or a run input may have.
 * Recursive code over such values (`JSON.stringify`, cloning, the store) overflows the stack
 * near 4,500 levels; the API refuses deeper request bodies with `JSON_TOO_DEEP` too.
 */
export const MAX_JSON_DEPTH = 400

interface Step {
  value: object
  depth: number
  parent: Step | undefined
  key: string | number
}

/**
 * The path to the first array or object nested more than `maxDepth` levels inside `value`
 * (the value itself being level 1), or undefined when it is shallow enough. Iterative, so any
 * depth is safe to check (a cycle counts as too deep).
 */
export function pathDeeperThan(value: unknown, maxDepth = MAX_JSON_DEPTH): (string | number)[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const stack: Step[] = [{ value, depth: 1, parent: undefined, key: '' }]
  for (let step = stack.pop(); step; step = stack.pop()) {
    if (step.depth > maxDepth) return pathOf(step)
    const entries: [string | number, unknown][] = Array.isArray(step.value)
      ? step.value.map((child, index) => [index, child])
      : Object.entries(step.value)
    for (const [key, child] of entries) {
      if (typeof child === 'object' && child !== null)
        stack.push({ value: child, depth: step.depth + 1, parent: step, key })
    }
  }
  return undefined
}

function pathOf(step: Step): (string | number)[] {
  const path: (string | number)[] = []
  for (let at: Step | undefined = step; at?.parent; at = at.parent) path.push(at.key)
  return path.reverse()
}
