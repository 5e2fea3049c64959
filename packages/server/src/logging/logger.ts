import { PatchbayError } from '@patchbay/core'
import type { Logger } from '@patchbay/runtime'
import { pino } from 'pino'
import { REDACTED, type SecretRedactor } from './redactor.ts'

/**
 * Fields pino censors wherever they sit in these places (HTTP request and response headers,
 * top-level and one level down). The redactor's field pass below also catches them deeper.
 */
export const redactPaths: readonly string[] = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  '*.headers.authorization',
  '*.headers.cookie',
  ...['password', 'authorization', 'cookie', 'apiKey', 'api_key', 'token', 'secret'].flatMap((field) => [
    field,
    `*.${field}`,
  ]),
  '["set-cookie"]',
  '*["set-cookie"]',
  'credential.value',
  '*.credential.value',
  'credentials[*].value',
  '*.credentials[*].value',
]

/** Field names (lower-cased) whose values never reach a log line, at any depth. */
const secretFields = new Set([
  'password',
  'passwd',
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'apikey',
  'api_key',
  'api-key',
  'x-api-key',
  'x-goog-api-key',
  'token',
  'access_token',
  'accesstoken',
  'refresh_token',
  'refreshtoken',
  'id_token',
  'secret',
  'client_secret',
  'clientsecret',
  'private_key',
  'privatekey',
])

export interface CreateLoggerOptions {
  /** `trace`, `debug`, `info` (the default), `warn`, `error`, `fatal` or `silent`; anything else throws `INVALID_CONFIG`. */
  level?: pino.LevelWithSilentOrString
  /** Where lines go; stdout by default. */
  destination?: pino.DestinationStream
  /** Holds the operator's own secrets (tenants' credentials are scrubbed per node attempt instead). */
  redactor: SecretRedactor
}

/**
 * A pino logger that cannot print secrets: fields named like secrets are censored, and every
 * string (the message, interpolated arguments, nested data, error messages and stacks, child
 * bindings) goes through the redactor. `logger` adapts it to the runtime's `Logger`.
 *
 * @example
 * const redactor = new SecretRedactor()
 * redactor.add(operatorOpenAiKey)
 * const { pino, logger } = createLogger({ level: process.env.PATCHBAY_LOG_LEVEL, redactor })
 */
export function createLogger(options: CreateLoggerOptions): { pino: pino.Logger; logger: Logger } {
  const { redactor } = options
  const level = options.level ?? 'info'
  const levels = [...Object.keys(pino.levels.values), 'silent']
  if (!levels.includes(level)) {
    throw new PatchbayError('INVALID_CONFIG', `unknown log level "${level}" (use ${levels.join(', ')})`)
  }
  const instance = pino(
    {
      level,
      redact: { paths: [...redactPaths], censor: REDACTED },
      // Errors are already plain objects when these run (see `formatters.log`).
      serializers: { err: passThrough, error: passThrough },
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactArguments(args, redactor) as Parameters<pino.LogFn>)
        },
      },
      formatters: {
        log: (object) => censorFields(redactor.redactValue(object), '') as Record<string, unknown>,
        bindings: (bindings) => censorFields(redactor.redactValue(bindings), '') as pino.Bindings,
      },
    },
    options.destination ?? pino.destination(1),
  )
  // pino formats a child's bindings once, without `formatters.bindings` (only the root's go
  // through it), so they are redacted on the way in; children inherit this `child`.
  const pinoChild = instance.child
  instance.child = function child<Levels extends string = never>(
    this: pino.Logger,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<Levels>,
  ): pino.Logger<Levels> {
    const safe = censorFields(redactor.redactValue(bindings), '') as pino.Bindings
    return Reflect.apply(pinoChild, this, [safe, childOptions]) as pino.Logger<Levels>
  }
  return { pino: instance, logger: runtimeLogger(instance) }
}

/** The runtime's four-level `Logger` over a pino logger (or one of its children). */
export function runtimeLogger(instance: pino.Logger): Logger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: Record<string, unknown>) => {
    if (data) instance[level](data, message)
    else instance[level](message)
  }
  return {
    debug: (message, data) => write('debug', message, data),
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  }
}

function passThrough(value: unknown): unknown {
  return value
}

/**
 * Redacts the message and interpolated arguments. The first object is left to
 * `formatters.log`; when it is (or carries) an error and no message is given, pino would take
 * the error's message verbatim, so a redacted one is supplied.
 */
function redactArguments(args: readonly unknown[], redactor: SecretRedactor): unknown[] {
  const out = args.map((arg, index) =>
    typeof arg === 'string' ? redactor.redact(arg) : index === 0 ? arg : redactor.redactValue(arg),
  )
  const [first] = out
  if (out.length === 1 && typeof first === 'object' && first !== null) {
    const error = first instanceof Error ? first : (first as { err?: unknown }).err
    const message = (error as { message?: unknown } | undefined)?.message
    if (typeof message === 'string' && !('msg' in first)) out.push(redactor.redact(message))
  }
  return out
}

/** Replaces the values of secret-named fields, in place (on the copy `redactValue` made). */
function censorFields(value: unknown, parentKey: string): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) value[index] = censorFields(item, parentKey)
    return value
  }
  const record = value as Record<string, unknown>
  const underCredential = /credential|secret/i.test(parentKey)
  for (const [key, item] of Object.entries(record)) {
    const name = key.toLowerCase()
    const secret = secretFields.has(name) || (underCredential && name === 'value')
    if (secret && item !== null && item !== undefined && typeof item !== 'number' && typeof item !== 'boolean') {
      record[key] = REDACTED
    } else {
      record[key] = censorFields(item, key)
    }
  }
  return record
}
