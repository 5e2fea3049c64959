import type { CostEstimate } from '@patchbay/providers'
import { formatCost } from './render/run-model.ts'
import { color } from './render/symbols.ts'

/** The cost estimate as a table: one line per model call, then the total. */
export function printEstimate(estimate: CostEstimate): void {
  if (estimate.calls.length === 0) {
    process.stdout.write('This workflow calls no models: it costs nothing to run.\n')
    return
  }
  const rows = estimate.calls.map((call) => [
    call.nodeId,
    call.use.model,
    call.cost === null ? 'unknown' : formatCost(call.cost),
    call.basis,
  ])
  const header = ['node', 'model', 'cost', 'basis']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)))
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')
  const lines = [color.bold(line(header)), ...rows.map(line)]
  const total = `Estimated total: ${formatCost(estimate.total)}`
  lines.push(
    '',
    estimate.incomplete ? `${total} ${color.dim('+ calls whose cost is not known before running')}` : total,
  )
  lines.push(color.dim('List prices; the bill depends on what the providers charge.'))
  process.stdout.write(`${lines.join('\n')}\n`)
}
