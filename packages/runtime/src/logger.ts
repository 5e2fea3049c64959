import type { NodeLogger } from '@patchbay/core'

/** The engine's logger: the same four levels nodes see, with structured data. */
export type Logger = NodeLogger

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
}

/** Prefixes every record with fixed fields (run id, node id…). */
export function childLogger(parent: Logger, fields: Record<string, unknown>): Logger {
  return {
    debug: (message, data) => parent.debug(message, { ...fields, ...data }),
    info: (message, data) => parent.info(message, { ...fields, ...data }),
    warn: (message, data) => parent.warn(message, { ...fields, ...data }),
    error: (message, data) => parent.error(message, { ...fields, ...data }),
  }
}
