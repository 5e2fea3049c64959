/** What every secret is replaced with. */
export const REDACTED = '[redacted]'

/** Registered values shorter than this are ignored: they would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6
/** Objects nested deeper than this are cut off rather than walked. */
const MAX_DEPTH = 16

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
 * (the vault registers each credential it opens) and anything shaped like a provider key,
 * an Authorization header or a `?key=` query parameter.
 *
 * @example
 * const redactor = new SecretRedactor()
 * redactor.add(openAiKey)
 * redactor.redact(`calling ${url} with ${openAiKey}`) // 'calling … with [redacted]'
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>()
  /** One alternation of every registered value, longest first; rebuilt lazily after `add`. */
  private known: RegExp | undefined
  private stale = false

  /** Registers a secret (ignored when shorter than 6 characters), also in its URL- and JSON-escaped forms. */
  add(secret: string): void {
    const forms = [secret, secret.trim(), encodeURIComponent(secret.trim()), JSON.stringify(secret.trim()).slice(1, -1)]
    for (const form of forms) {
      if (form.length >= MIN_SECRET_LENGTH && !this.secrets.has(form)) {
        this.secrets.add(form)
        this.stale = true
      }
    }
  }

  /** Number of distinct registered forms (for tests and diagnostics). */
  get size(): number {
    return this.secrets.size
  }

  /** `text` with every secret replaced by `[redacted]`. */
  redact(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text
    let out = text
    const known = this.knownPattern()
    if (known) out = out.replace(known, REDACTED)
    for (const { pattern, replacement } of shapes) out = out.replace(pattern, replacement)
    return out
  }

  /**
   * A copy of `value` with every string in it redacted (keys are kept). Errors become plain
   * `{ type, message, stack, … }` objects, values with `toJSON` (URL, Date) are converted
   * first, cycles become `[circular]`; other values are returned as they are.
   */
  redactValue(value: unknown): unknown {
    return this.walk(value, new Set(), 0)
  }

  private walk(value: unknown, ancestors: Set<object>, depth: number): unknown {
    if (typeof value === 'string') return this.redact(value)
    if (value === null || typeof value !== 'object') return value
    if (ancestors.has(value)) return '[circular]'
    if (depth >= MAX_DEPTH) return '[too deep]'
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value
    ancestors.add(value)
    try {
      if (Array.isArray(value)) return value.map((item) => this.walk(item, ancestors, depth + 1))
      if (value instanceof Error) return this.walk(errorFields(value), ancestors, depth + 1)
      const withJson = value as { toJSON?: unknown }
      if (typeof withJson.toJSON === 'function') return this.walk(withJson.toJSON(), ancestors, depth + 1)
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) copy[key] = this.walk(item, ancestors, depth + 1)
      return copy
    } finally {
      ancestors.delete(value)
    }
  }

  private knownPattern(): RegExp | undefined {
    if (this.stale) {
      const alternatives = [...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp)
      this.known = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined
      this.stale = false
    }
    return this.known
  }
}

/** The fields pino's error serialiser writes, with the cause chain kept. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: error.message,
    stack: error.stack,
  }
  for (const [key, item] of Object.entries(error)) if (!(key in fields)) fields[key] = item
  if (error.cause !== undefined) fields.cause = error.cause
  return fields
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
}
