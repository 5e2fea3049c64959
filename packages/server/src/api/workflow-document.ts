import { z } from '@hono/zod-openapi'
import {
  migrateDocument,
  type NodeRegistry,
  type ValidationIssue,
  validateWorkflow,
  type Workflow,
  workflowSchema,
} from '@patchbay/core'
import { ApiError } from './errors.ts'

type SchemaMetadata = NonNullable<Parameters<ReturnType<typeof z.object>['openapi']>[1]>

// The document's fields as JSON Schema, generated from core's zod schema so the published
// description cannot drift from what `validateWorkflow` accepts (notes and groups included).
const documentJson = z.toJSONSchema(workflowSchema, { io: 'input', unrepresentable: 'any' })

/**
 * The workflow document in the OpenAPI description. Requests are only checked to be objects
 * here; `parseWorkflowDocument` validates them, so a bad document is answered with
 * `INVALID_WORKFLOW` and every issue rather than zod-openapi's generic 400.
 */
export const workflowDocumentSchema = z.record(z.string(), z.unknown()).openapi('WorkflowDocument', {
  description:
    'A workflow document: `{ schemaVersion: 1, name, inputs, nodes, edges, notes?, groups? }` (see docs/workflows.md). ' +
    'Notes and groups are canvas annotations the engine ignores.',
  properties: documentJson.properties as SchemaMetadata['properties'],
  required: documentJson.required ?? [],
})

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
