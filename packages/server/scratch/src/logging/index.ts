export type { CreateLoggerOptions } from './logger.ts'
export { createLogger, redactPaths, runtimeLogger } from './logger.ts'
export { REDACTED, SecretRedactor } from './redactor.ts'
