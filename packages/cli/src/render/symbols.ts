import type { NodeStatus } from '@patchbay/core'

const useColor = process.stdout.isTTY && !process.env.NO_COLOR

const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text)
export const color = {
  green: paint(32),
  red: paint(31),
  yellow: paint(33),
  cyan: paint(36),
  dim: paint(2),
  bold: paint(1),
  magenta: paint(35),
}

export const statusSymbol: Record<NodeStatus, string> = {
  pending: color.dim('·'),
  queued: color.dim('○'),
  running: color.cyan('●'),
  succeeded: color.green('✓'),
  cached: color.magenta('◆'),
  skipped: color.dim('–'),
  failed: color.red('✗'),
  canceled: color.yellow('⊘'),
}

/** A 20-cell bar for a 0–1 fraction. */
export function bar(fraction: number, width = 20): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width)
  return `${color.cyan('█'.repeat(filled))}${color.dim('░'.repeat(width - filled))}`
}
