import { MIN_SECRET_LENGTH, mapStrings, REDACTED, SecretForms } from '@patchbay/runtime'

export { REDACTED }

/**
 * Most values one process registers. The redactor holds the operator's own secrets (provider
 * keys from the environment, the S3 secret, the auth secret, the metrics token): a set the
 * configuration sizes, never one that grows with what tenants store.
 */
export const MAX_OPERATOR_SECRETS = 64

/**
 * Secrets recognised by their shape, applied in order after the registered values. Character
 * classes stop at quotes and backslashes, so a replacement never eats into a JSON escape.
 */
const shapes: readonly { pattern: RegExp; replacement: string }[] = [
  // `Authorization: …`, `x-api-key=…`, `"apiKey": "…"` in free text.
  {
    pattern:
      /\b((?:proxy-)?authorization|x-api-key|x-goog-api-key|api[_-]?key)(["']?\s*[:=]\s*["']?)((?:Bearer|Basic|Key|Token)\s+)?[^\s"'\\,;&]+/gi,
    replacement: `$1$2$3${REDACTED}`,
  },
  // Authorization schemes: `Bearer …`, `Basic …`, fal's `Key …`; not followed by a plain word
  // ("Basic authentication", "Key rotation"), since secrets mix case, digits or symbols.
  {
    pattern:
      /\b(Bearer|bearer|BEARER|Basic|Key|Token)\s+(?![A-Z]?[a-z]+(?![A-Za-z0-9._~+/:=-]))[A-Za-z0-9._~+/:=-]{8,}/g,
    replacement: `$1 ${REDACTED}`,
  },
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), Google (AIza), Replicate (r8_), Hugging Face (hf_), Patchbay (pbk_).
  {
    pattern:
      /(?<![A-Za-z0-9])(?:sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}|AIza[A-Za-z0-9_-]{30,}|r8_[A-Za-z0-9]{20,}|hf_[A-Za-z0-9]{20,}|pbk_[A-Za-z0-9_-]{20,})/g,
    replacement: REDACTED,
  },
  // Query strings and form bodies: `?key=…`, `&api_key=…`, `token=…`, signed-URL signatures.
  {
    pattern:
      /(?<![A-Za-z0-9_-])((?:api[_-]?)?key|apikey|(?:access_|refresh_|id_)?token|(?:client_)?secret|password|sig|(?:x-amz-)?signature|x-amz-credential|x-goog-signature)=([^&\s"'\\#]+)/gi,
    replacement: `$1=${REDACTED}`,
  },
]

/**
 * Removes secrets from log output: every value registered with {@link SecretRedactor.add}
 * (the operator's own secrets) and anything shaped like a provider key, an Authorization
 * header or a `?key=` query parameter. Tenants' credential values are never registered here:
 * they are scrubbed per node attempt (the runtime's `SecretScope`), so no tenant can slow
 * down or blank out another's lines, and redacting a line costs its length times a constant.
 *
 * @example
 * const redactor = new SecretRedactor()
 * redactor.add(env.OPENAI_API_KEY)
 * redactor.redact(`calling ${url} with ${env.OPENAI_API_KEY}`) // 'calling … with [redacted]'
 */
export class SecretRedactor {
  private readonly forms = new SecretForms()
  private readonly values = new Set<string>()

  /**
   * Registers an operator secret (ignored when shorter than 6 characters), also in its URL- and
   * JSON-escaped forms. Throws beyond {@link MAX_OPERATOR_SECRETS} values: growing without
   * bound means tenant values are being registered, which this redactor must never hold.
   */
  add(secret: string): void {
    if (secret.trim().length < MIN_SECRET_LENGTH || this.values.has(secret)) return
    if (this.values.size >= MAX_OPERATOR_SECRETS) {
      throw new Error(`the log redactor holds at most ${MAX_OPERATOR_SECRETS} operator secrets`)
    }
    this.values.add(secret)
    this.forms.add(secret)
  }

  /** Number of distinct registered forms (for tests and diagnostics). */
  get size(): number {
    return this.forms.size
  }

  /** `text` with every secret replaced by `[redacted]`. */
  redact(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text
    let out = this.forms.scrub(text)
    for (const { pattern, replacement } of shapes) out = out.replace(pattern, replacement)
    return out
  }

  /**
   * A copy of `value` with every string in it redacted (keys are kept). Errors become plain
   * `{ type, message, stack, … }` objects, values with `toJSON` (URL, Date) are converted
   * first, cycles become `[circular]`; other values are returned as they are.
   */
  redactValue(value: unknown): unknown {
    return mapStrings(value, (text) => this.redact(text))
  }
}
