/** The order of PostgreSQL's "C" collation, which the SQL stores sort ids by. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b))
}
