/**
 * The value as a `jsonb` column gives it back: `undefined` members dropped, dates turned into
 * strings, a fresh copy. The memory store applies it too, so that every store returns the same.
 */
export function asStoredJson<T>(value: T): T {
  return value === undefined || value === null ? value : (JSON.parse(JSON.stringify(value)) as T)
}

/**
 * An event time in the one form every store returns (`Date#toISOString`, millisecond precision).
 * Rejects text that is not a date, so a bad event fails its whole batch.
 */
export function toEventDate(time: string): Date {
  const date = new Date(time)
  if (Number.isNaN(date.getTime())) throw new TypeError(`invalid event time: ${JSON.stringify(time)}`)
  return date
}
