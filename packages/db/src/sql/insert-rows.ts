import { getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'

/**
 * A multi-row insert whose rows travel as one JSON parameter:
 * `INSERT INTO t (columns) SELECT … FROM json_to_recordset($1) AS v(<key> <type>, …)`.
 *
 * Why not `VALUES ($1, $2, …)`: drizzle spends several µs on every bind parameter (a batch of
 * 500 node rows has 8000, i.e. tens of ms), PostgreSQL refuses more than 65535 of them, and the
 * server parses one JSON document faster than thousands of parameters. Rows are serialized with
 * `JSON.stringify` as they are, keyed by their TypeScript field names (dates become ISO strings,
 * `undefined` and JSON `null` become SQL NULL). Append `ON CONFLICT …` to make it an upsert;
 * rows are inserted, and so locked, in the order given.
 *
 * @example
 * await tx.execute(sql`${insertRows(runs, ['id', 'status'], rows)} on conflict do nothing`)
 */
export function insertRows<TTable extends PgTable>(
  table: TTable,
  keys: readonly (keyof TTable['$inferInsert'] & string)[],
  rows: readonly object[],
): SQL {
  const columns = getTableColumns(table)
  const targets = keys.map((key) => sql.identifier(columns[key]!.name))
  const fields = keys.map((key) => sql.identifier(key))
  const fieldTypes = keys.map((key) => sql`${sql.identifier(key)} ${sql.raw(columns[key]!.getSQLType())}`)
  // Sent as text and cast on the server, so neither driver re-encodes the JSON.
  const json = sql`${JSON.stringify(rows)}::text::json`
  return sql`insert into ${table} (${sql.join(targets, sql`, `)}) select ${sql.join(fields, sql`, `)} from json_to_recordset(${json}) as v(${sql.join(fieldTypes, sql`, `)})`
}
