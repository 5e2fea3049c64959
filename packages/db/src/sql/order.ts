import { type AnyColumn, type SQL, sql } from 'drizzle-orm'

/**
 * Orders by `column` in byte order rather than the database's locale, so that every store (the
 * memory one included) and every server agree.
 */
export function byCodePoint(column: AnyColumn): SQL {
  return sql`${column} collate "C"`
}
