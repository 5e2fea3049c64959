import { ValidationError, type ValidationIssue } from '../errors.ts'
import { MAX_JSON_DEPTH, pathDeeperThan } from '../json-depth.ts'
import type { Workflow, WorkflowInputType } from '../workflow/schema.ts'

/** Why `value` is not a valid `type` value, or undefined when it is. */
export function checkInputDefault(type: WorkflowInputType, value: unknown): string | undefined {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be a string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number'
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false'
    case 'json':
      return undefined
  }
}

/**
 * Parses a value typed on a command line (`--input name=value`) by the input's declared
 * type: numbers and booleans are parsed, json is parsed as JSON, text stays as is.
 */
export function parseInputText(type: WorkflowInputType, text: string): unknown {
  switch (type) {
    case 'text':
      return text
    case 'number': {
      const value = Number(text)
      if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`"${text}" is not a number`)
      return value
    }
    case 'boolean':
      if (text === 'true' || text === '1') return true
      if (text === 'false' || text === '0') return false
      throw new Error(`"${text}" is not true or false`)
    case 'json':
      try {
        return JSON.parse(text)
      } catch {
        throw new Error(`"${text}" is not valid JSON`)
      }
  }
}

/**
 * The values a run starts with: what the caller gave, else each declared default. Throws a
 * ValidationError naming every undeclared, missing or mistyped input.
 */
export function resolveRunInputs(workflow: Workflow, given: Record<string, unknown>): Record<string, unknown> {
  const issues: ValidationIssue[] = []
  const values: Record<string, unknown> = {}
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(workflow.inputs, name)) {
      const known = Object.keys(workflow.inputs)
      issues.push({
        code: 'UNKNOWN_WORKFLOW_INPUT',
        message: `input "${name}" is not declared by the workflow${known.length ? ` (it declares: ${known.join(', ')})` : ''}`,
        path: ['inputs', name],
        field: name,
      })
    }
  }
  for (const [name, input] of Object.entries(workflow.inputs)) {
    const value = Object.hasOwn(given, name) ? given[name] : input.default
    if (value === undefined) {
      issues.push({
        code: 'MISSING_WORKFLOW_INPUT',
        message: `input "${name}" (${input.type}) has no value and no default`,
        path: ['inputs', name],
        field: name,
      })
      continue
    }
    if (pathDeeperThan(value, MAX_JSON_DEPTH)) {
      issues.push({
        code: 'JSON_TOO_DEEP',
        message: `input "${name}" nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
        path: ['inputs', name],
        field: name,
      })
      continue
    }
    const problem = checkInputDefault(input.type, value)
    if (problem) {
      issues.push({
        code: 'INVALID_WORKFLOW_INPUT',
        message: `input "${name}" ${problem}`,
        path: ['inputs', name],
        field: name,
      })
    } else values[name] = value
  }
  if (issues.length > 0) throw new ValidationError(issues)
  return values
}
