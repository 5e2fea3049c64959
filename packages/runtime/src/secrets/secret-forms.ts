/** What every secret is replaced with, in logs, errors, events and stored rows. */
export const REDACTED = '[redacted]'

/** Values shorter than this are not scrubbed: they would blank out ordinary words. */
export const MIN_SECRET_LENGTH = 6

/**
 * The forms in which `secret` can appear in text: as given, trimmed, URL-encoded and
 * JSON-escaped, each at least {@link MIN_SECRET_LENGTH} long, without duplicates. A value
 * with a lone surrogate has no URL-encoded form (`encodeURIComponent` throws on it) and
 * keeps the others.
 */
export function secretForms(secret: string): string[] {
  const trimmed = secret.trim()
  const forms = new Set([secret, trimmed, JSON.stringify(trimmed).slice(1, -1)])
  try {
    forms.add(encodeURIComponent(trimmed))
  } catch {
    // A lone surrogate: no URL could carry it, so there is no URL form to look for.
  }
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH)
}

/**
 * A list of secret forms, scrubbed from text with one plain substring search per form
 * (longest first, so a form never leaves part of a longer one behind): the cost is the
 * text's length times the number of forms, and no regular expression is ever compiled from
 * the values, whatever their size or content.
 */
export class SecretForms {
  private sorted: string[] = []
  private readonly known = new Set<string>()

  /** Number of distinct forms held. */
  get size(): number {
    return this.known.size
  }

  /** Adds `secret`'s forms; returns how many were new. */
  add(secret: string): number {
    let added = 0
    for (const form of secretForms(secret)) {
      if (this.known.has(form)) continue
      this.known.add(form)
      added += 1
    }
    if (added > 0) this.sorted = [...this.known].sort((a, b) => b.length - a.length)
    return added
  }

  /** `text` with every form replaced by `[redacted]`. */
  scrub(text: string): string {
    let out = text
    for (const form of this.sorted) {
      if (form.length <= out.length && out.includes(form)) out = out.replaceAll(form, REDACTED)
    }
    return out
  }
}
