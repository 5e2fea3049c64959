import { ApiError } from '@patchbay/sdk'
import type { StartError } from './types.ts'

/**
 * Turns a failed `POST /runs` (or the save before it) into something to list: a 400
 * `INVALID_WORKFLOW` carries `details.issues`, each possibly naming a node.
 */
export function describeStartError(error: unknown): StartError {
  if (!(error instanceof ApiError)) {
    const message = error instanceof Error ? error.message : String(error)
    return { code: 'ERROR', message, issues: [], missingCredential: false }
  }
  const issues = issuesOf(error.details)
  return {
    code: error.code,
    message: error.message,
    issues,
    missingCredential: issues.some((issue) => issue.code === 'MISSING_CREDENTIAL'),
  }
}

function issuesOf(details: unknown): StartError['issues'] {
  if (typeof details !== 'object' || details === null) return []
  const list = (details as { issues?: unknown }).issues
  if (!Array.isArray(list)) return []
  return list.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return []
    const { code, message, nodeId, path } = item as Record<string, unknown>
    // A run input's issue names the input in its message already ("input "n" must be…").
    const input = Array.isArray(path) && path[0] === 'inputs' && typeof path[1] === 'string' ? path[1] : undefined
    const where =
      Array.isArray(path) && path.length > 0 && typeof nodeId !== 'string' && !input ? `${path.join('.')}: ` : ''
    return [
      {
        code: typeof code === 'string' ? code : 'INVALID',
        message: `${where}${typeof message === 'string' ? message : 'invalid'}`,
        ...(typeof nodeId === 'string' ? { nodeId } : {}),
        ...(input ? { input } : {}),
      },
    ]
  })
}
