import type { ValidationIssue } from '@patchbay/core'

/** One line per problem: where (node, handle, field), what code, and the message. */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return issues
    .map((issue) => {
      const where = [
        issue.nodeId && `node ${issue.nodeId}`,
        issue.edgeId && `edge ${issue.edgeId}`,
        issue.handle && `handle ${issue.handle}`,
        issue.field && `field ${issue.field}`,
      ]
        .filter(Boolean)
        .join(', ')
      return `  ✗ ${issue.message}\n      [${issue.code}${where ? ` · ${where}` : ''} · at ${formatPath(issue.path)}]`
    })
    .join('\n')
}

function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(document)'
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('')
}
