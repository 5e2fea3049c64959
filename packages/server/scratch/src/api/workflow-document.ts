import {
  migrateDocument,
  type NodeRegistry,
  type ValidationIssue,
  validateWorkflow,
  type Workflow,
  workflowSchema,
} from '@patchbay/core'
import { ApiError } from './errors.ts'

/**
 * Reads a workflow document for saving. A draft may be incomplete (an unconnected input, an
 * unknown node type), so only its shape must be right; what would stop it running is
 * returned as `issues` for the editor to show.
 */
export function parseWorkflowDocument(
  body: unknown,
  registry: NodeRegistry,
): { document: Workflow; issues: ValidationIssue[] } {
  const migrated = migrateDocument(body)
  const parsed = workflowSchema.safeParse(migrated)
  const checked = validateWorkflow(migrated, registry)
  if (!parsed.success) {
    const issues = checked.ok ? [] : checked.issues
    throw new ApiError(
      400,
      'INVALID_WORKFLOW',
      `not a workflow document: ${issues[0]?.message ?? parsed.error.message}`,
      {
        details: { issues },
      },
    )
  }
  return { document: parsed.data, issues: checked.ok ? [] : checked.issues }
}
