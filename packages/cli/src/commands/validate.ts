import { type ValidationIssue, validateWorkflow } from '@patchbay/core'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { builtinRegistry } from '@patchbay/nodes'
import { checkModels, gatewayFromEnv } from '@patchbay/providers'
import type { Command } from 'commander'
import { loadWorkflowFile } from '../load-workflow.ts'
import { formatIssues } from '../print-issues.ts'
import { reportError } from '../report-error.ts'

interface ValidateOptions {
  json?: boolean
  /** False with --no-credentials: for checking documents on a machine without provider keys. */
  credentials: boolean
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a workflow file and list every problem (exit 0 when valid, 1 otherwise)')
    .argument('<file>', 'workflow JSON file')
    .option('--json', 'print the result as JSON')
    .option('--no-credentials', 'do not require the credentials its model nodes need (e.g. in CI)')
    .action(async (file: string, options: ValidateOptions) => {
      try {
        const result = validateWorkflow(await loadWorkflowFile(file), builtinRegistry)
        // Model calls are checked once the document itself is sound: provider, credential, param ranges.
        const issues: ValidationIssue[] = result.ok
          ? (
              await checkModels({
                workflow: result.workflow,
                registry: builtinRegistry,
                gateway: gatewayFromEnv().gateway,
                orgId: DEFAULT_ORG_ID,
              })
            ).filter((issue) => options.credentials || issue.code !== 'MISSING_CREDENTIAL')
          : result.issues
        const ok = issues.length === 0
        if (options.json) {
          process.stdout.write(`${JSON.stringify(ok ? { ok: true } : { ok: false, issues })}\n`)
        } else if (ok && result.ok) {
          const { nodes, edges } = result.workflow
          process.stdout.write(`✓ ${file} is valid (${nodes.length} nodes, ${edges.length} edges)\n`)
        } else {
          const count = issues.length
          process.stdout.write(`✗ ${file} has ${count} problem${count === 1 ? '' : 's'}:\n${formatIssues(issues)}\n`)
        }
        process.exitCode = ok ? 0 : 1
      } catch (error) {
        reportError(error)
      }
    })
}
