import { parseInputText, ValidationError, type ValidationIssue, type Workflow } from '@patchbay/core'

/**
 * Turns repeated `--input name=value` options into typed values using the workflow's
 * declared input types. Unknown names are kept so the engine reports them with the rest.
 */
export function parseInputOptions(workflow: Workflow, pairs: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  const issues: ValidationIssue[] = []
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) {
      issues.push({ code: 'INVALID_INPUT_OPTION', message: `--input ${pair}: expected name=value`, path: ['inputs'] })
      continue
    }
    const name = pair.slice(0, at)
    const text = pair.slice(at + 1)
    const declared = Object.hasOwn(workflow.inputs, name) ? workflow.inputs[name] : undefined
    try {
      values[name] = declared ? parseInputText(declared.type, text) : text
    } catch (error) {
      issues.push({
        code: 'INVALID_WORKFLOW_INPUT',
        message: `input "${name}" (${declared?.type}): ${(error as Error).message}`,
        path: ['inputs', name],
        field: name,
      })
    }
  }
  if (issues.length > 0) throw new ValidationError(issues)
  return values
}
