import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'

/** A drizzle database (or transaction) on either SQL driver; the store is written against this. */
export type SqlDatabase = PgDatabase<PgQueryResultHKT>
