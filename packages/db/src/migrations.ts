import { fileURLToPath } from 'node:url'

/** The SQL migrations drizzle-kit generated from schema.ts; both SQL siblings apply them on open. */
export const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url))
