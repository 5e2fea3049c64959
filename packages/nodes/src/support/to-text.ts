/**
 * The text form of a value arriving on a text input. Inputs typed `text` carry strings, but an
 * `any` output may feed them anything: `null`/`undefined` become `''`, other scalars their
 * `String` form, objects and arrays their JSON.
 */
export function toText(value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
