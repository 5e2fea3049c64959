import { nodeCatalog } from '@patchbay/core'
import { builtinRegistry } from '@patchbay/nodes'
import type { Command } from 'commander'

export function registerNodesCommand(program: Command): void {
  program
    .command('nodes')
    .description('List the node types (with --json: the full catalog with param JSON Schemas)')
    .option('--json', 'print the catalog as JSON')
    .action((options: { json?: boolean }) => {
      const catalog = nodeCatalog(builtinRegistry)
      if (options.json) {
        process.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`)
        return
      }
      const width = Math.max(...catalog.map((entry) => entry.type.length))
      for (const entry of catalog) {
        const inputs = Object.keys(entry.inputs).join(', ') || '—'
        const outputs = Object.keys(entry.outputs).join(', ') || '—'
        process.stdout.write(`${entry.type.padEnd(width)}  ${entry.title}  (${inputs} → ${outputs})\n`)
      }
    })
}
