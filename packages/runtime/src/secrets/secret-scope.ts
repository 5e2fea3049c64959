import { AsyncLocalStorage } from 'node:async_hooks'
import { NodeError } from '@patchbay/core'
import { mapStrings } from './map-strings.ts'
import { SecretForms } from './secret-forms.ts'

/**
 * Most distinct credential values one node attempt may look up. A node uses one or two;
 * the bound keeps scrubbing an attempt's errors, progress and log lines a small constant
 * times their length.
 */
export const MAX_ATTEMPT_SECRETS = 32

/** Where a node's credentials come from (the providers' `CredentialLookup` has this shape). */
export interface CredentialSource {
  get(orgId: string, name: string): Promise<string | undefined>
}

const current = new AsyncLocalStorage<SecretScope>()

/**
 * The credential values one node attempt has looked up, and the means to remove them from
 * whatever the attempt produces before it is logged, sent as an event or stored: its error,
 * outputs, progress messages and `ctx.log` lines. Values are recorded by a lookup wrapped
 * with {@link recordCredentials} while the node runs inside {@link SecretScope.run}, so a
 * scope only ever holds its own organisation's values, and only the few the node used.
 *
 * @example
 * const scope = new SecretScope()
 * await scope.run(() => node.run({ inputs, params, ctx })) // the gateway looks up OPENAI_API_KEY
 * scope.scrub(`Incorrect API key provided: ${key}`) // 'Incorrect API key provided: [redacted]'
 */
export class SecretScope {
  private readonly forms = new SecretForms()
  private readonly values = new Set<string>()

  /** Runs `fn` with this scope current: credentials looked up inside it are recorded here. */
  run<T>(fn: () => T): T {
    return current.run(this, fn)
  }

  /**
   * Records a value the attempt was given. Throws `TOO_MANY_CREDENTIALS` (not retryable)
   * rather than hand out a value it could not scrub cheaply.
   */
  record(value: string): void {
    if (this.values.has(value)) return
    if (this.values.size >= MAX_ATTEMPT_SECRETS) {
      throw new NodeError(
        'TOO_MANY_CREDENTIALS',
        `a node attempt may use at most ${MAX_ATTEMPT_SECRETS} different credentials`,
        { retryable: false },
      )
    }
    this.values.add(value)
    this.forms.add(value)
  }

  /** Whether nothing was recorded (scrubbing is then the identity). */
  get empty(): boolean {
    return this.forms.size === 0
  }

  /** `text` with every recorded value (and its URL- and JSON-escaped forms) replaced by `[redacted]`. */
  scrub(text: string): string {
    return this.empty ? text : this.forms.scrub(text)
  }

  /** A copy of `value` with every string in it scrubbed; `value` itself when nothing was recorded. */
  scrubValue<T>(value: T): T {
    return this.empty ? value : (mapStrings(value, (text) => this.forms.scrub(text)) as T)
  }

  /**
   * A node's outputs with every recorded value scrubbed, their shape untouched at any depth
   * (unlike log data, outputs are never cut short); the same object when no value occurs in
   * them, which one search over their JSON text decides.
   */
  scrubOutputs(outputs: Record<string, unknown>): Record<string, unknown> {
    if (this.empty) return outputs
    const text = JSON.stringify(outputs)
    if (this.forms.scrub(text) === text) return outputs
    return mapJson(outputs, (item) => this.forms.scrub(item)) as Record<string, unknown>
  }
}

/** `value` (plain JSON data) with `map` applied to every string, keys kept, at any depth. */
function mapJson(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map((item) => mapJson(item, map))
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) copy[key] = mapJson(item, map)
  return copy
}

/**
 * `lookup`, recording every value it returns into the current attempt's {@link SecretScope}
 * (outside an attempt it only looks up). The server wraps the lookup its nodes and model
 * gateway use with it.
 */
export function recordCredentials(lookup: CredentialSource): CredentialSource {
  return {
    get: async (orgId, name) => {
      const value = await lookup.get(orgId, name)
      if (value !== undefined) current.getStore()?.record(value)
      return value
    },
  }
}
