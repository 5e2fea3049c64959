import type { Logger } from '@patchbay/runtime'

/**
 * Log lines on stderr (stdout carries the run view or NDJSON): timestamp, level, message
 * and fields, one line each, from `minimum` up.
 */
export function stderrLogger(minimum: 'info' | 'error'): Logger {
  const write = (level: string, message: string, data?: Record<string, unknown>) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${data ? ` ${JSON.stringify(data)}` : ''}\n`)
  return {
    debug: () => {},
    info: (message, data) => minimum === 'info' && write('info', message, data),
    warn: (message, data) => minimum === 'info' && write('warn', message, data),
    error: (message, data) => write('error', message, data),
  }
}
