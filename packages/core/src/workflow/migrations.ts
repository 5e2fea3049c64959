import { CURRENT_SCHEMA_VERSION } from './schema.ts'

/** A pure upgrade from `from` to `from + 1`. */
type DocumentMigration = (doc: Record<string, unknown>) => Record<string, unknown>

/** Indexed by the version they upgrade from. Empty while only v1 exists. */
const migrations: Record<number, DocumentMigration> = {}

/**
 * Upgrades an older workflow document to {@link CURRENT_SCHEMA_VERSION}. Documents without a
 * version, from the future, or of a shape that is not an object are returned unchanged so
 * that validation reports them precisely.
 */
export function migrateDocument(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc
  let current = doc as Record<string, unknown>
  let version = current.schemaVersion
  while (typeof version === 'number' && version < CURRENT_SCHEMA_VERSION) {
    const migrate = migrations[version]
    if (!migrate) break
    current = migrate(current)
    version = current.schemaVersion
  }
  return current
}
