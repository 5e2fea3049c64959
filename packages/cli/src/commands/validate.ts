import { validateWorkflow } from '@patchbay/core'
import { builtinRegistry } from '@patchbay/nodes'
import type { Command } from 'commander'
import { loadWorkflowFile } from '../load-workflow.ts'
import { formatIssues } from '../print-issues.ts'
import { reportError } from '../report-error.ts'

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Check a workflow file and list every problem (exit 0 when valid, 1 otherwise)')
    .argument('<file>', 'workflow JSON file')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const result = validateWorkflow(await loadWorkflowFile(file), builtinRegistry)
        if (options.json) {
          process.stdout.write(`${JSON.stringify(result.ok ? { ok: true } : { ok: false, issues: result.issues })}\n`)
        } else if (result.ok) {
          const { nodes, edges } = result.workflow
          process.stdout.write(`✓ ${file} is valid (${nodes.length} nodes, ${edges.length} edges)\n`)
        } else {
          const count = result.issues.length
          process.stdout.write(
            `✗ ${file} has ${count} problem${count === 1 ? '' : 's'}:\n${formatIssues(result.issues)}\n`,
          )
        }
        process.exitCode = result.ok ? 0 : 1
      } catch (error) {
        reportError(error)
      }
    })
}
