import type { RunEvent } from '@patchbay/core'
import { formatMs, type NodeRow, RunModel } from './run-model.ts'
import { bar, color, statusSymbol } from './symbols.ts'

/** Shows a run's events as they happen. */
export interface RunView {
  onEvent(event: RunEvent): void
  /** Called once after the last event, before the summary is printed. */
  close(): void
}

/** `--json`: one event per line, exactly as the API will stream them. */
export class JsonView implements RunView {
  onEvent(event: RunEvent): void {
    process.stdout.write(`${JSON.stringify(event)}\n`)
  }
  close(): void {}
}

/** Non-interactive output (CI logs, pipes): one line per state change. */
export class PlainView implements RunView {
  private readonly model: RunModel
  constructor(typeOf: (nodeId: string) => string) {
    this.model = new RunModel(typeOf)
  }
  onEvent(event: RunEvent): void {
    const row = this.model.apply(event)
    if (!row || event.type === 'node.queued' || event.type === 'node.progress') return
    process.stdout.write(`${describeRow(row)}\n`)
  }
  close(): void {}
}

/** A terminal: a live table, one line per node, redrawn in place. */
export class LiveView implements RunView {
  private readonly model: RunModel
  private drawnLines = 0
  private timer: NodeJS.Timeout | undefined
  private readonly spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']
  private frame = 0

  constructor(typeOf: (nodeId: string) => string) {
    this.model = new RunModel(typeOf)
    this.timer = setInterval(() => this.draw(), 100)
  }

  onEvent(event: RunEvent): void {
    this.model.apply(event)
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.draw()
  }

  private draw(): void {
    this.frame++
    const rows = [...this.model.rows.values()]
    const width = Math.max(4, ...rows.map((row) => row.id.length))
    const typeWidth = Math.max(4, ...rows.map((row) => row.type.length))
    const columns = process.stdout.columns || 100
    const lines = rows.map((row) => {
      const symbol =
        row.status === 'running'
          ? color.cyan(this.spinner[this.frame % this.spinner.length] ?? '●')
          : statusSymbol[row.status]
      const line = `${symbol} ${row.id.padEnd(width)}  ${color.dim(row.type.padEnd(typeWidth))}  ${detail(row)}`
      return truncate(line, columns - 1)
    })
    let out = this.drawnLines > 0 ? `\u001b[${this.drawnLines}A` : ''
    for (const line of lines) out += `\u001b[2K${line}\n`
    process.stdout.write(out)
    this.drawnLines = lines.length
  }
}

function detail(row: NodeRow): string {
  switch (row.status) {
    case 'running': {
      const elapsed = row.startedAt ? formatMs(Date.now() - row.startedAt) : ''
      const progress = row.progress === null ? '' : `${bar(row.progress)} ${Math.round(row.progress * 100)}%  `
      const attempt = row.attempt > 1 ? color.yellow(`attempt ${row.attempt}  `) : ''
      return `${progress}${attempt}${row.message ? `${row.message}  ` : ''}${color.dim(elapsed)}`
    }
    case 'succeeded':
      return color.green(`done${row.durationMs === undefined ? '' : ` in ${formatMs(row.durationMs)}`}`)
    case 'failed':
      return color.red(`failed: ${row.error?.message ?? 'unknown error'}`)
    case 'queued':
      return color.dim(row.note ?? 'queued')
    default:
      return color.dim(row.note ?? row.status)
  }
}

function describeRow(row: NodeRow): string {
  return `${statusSymbol[row.status]} ${row.id} (${row.type}) ${row.status === 'running' ? 'started' : ''}${row.status === 'running' ? '' : stripColor(detail(row))}`.trimEnd()
}

function stripColor(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing ANSI escapes
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

function truncate(line: string, max: number): string {
  return stripColor(line).length <= max ? line : `${stripColor(line).slice(0, Math.max(0, max - 1))}…`
}
