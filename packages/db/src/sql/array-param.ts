import { type SQL, sql } from 'drizzle-orm'

/**
 * A whole array as one bind parameter, `$1::text::<type>[]`, for id lists of any length: the
 * statement keeps a fixed number of parameters (why that matters: see `insert-rows.ts`).
 * The value travels as text and is cast on the server, so neither driver has to encode arrays.
 */
export function arrayParam(values: readonly (string | null)[], type: string): SQL {
  return sql`${arrayLiteral(values)}::text::${sql.raw(type)}[]`
}

const needsEscape = /["\\]/g

/** PostgreSQL's array input syntax, every element quoted so that any text survives. */
function arrayLiteral(values: readonly (string | null)[]): string {
  let text = '{'
  for (let index = 0; index < values.length; index++) {
    const value = values[index]
    if (index > 0) text += ','
    text += value === null || value === undefined ? 'NULL' : `"${value.replace(needsEscape, '\\$&')}"`
  }
  return `${text}}`
}
