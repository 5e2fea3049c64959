import type { apiKeys, invitations } from '../schema.ts'
import type { ApiKeyRecord, InvitationRecord, MemberRecord, Role } from './accounts.ts'

// Rows hold what the records hold; the role columns are checked by the schema, so casting is safe.

export function toInvitationRecord(row: typeof invitations.$inferSelect): InvitationRecord {
  return { ...row, role: row.role as Role }
}

export function toApiKeyRecord(row: typeof apiKeys.$inferSelect): ApiKeyRecord {
  return { ...row, role: row.role as Role }
}

/** A membership row joined with its user's name and email (see `memberColumns`). */
export interface MemberRow {
  orgId: string
  userId: string
  role: string
  createdAt: Date
  userName: string
  userEmail: string
}

export function toMemberRecord(row: MemberRow): MemberRecord {
  return {
    orgId: row.orgId,
    userId: row.userId,
    role: row.role as Role,
    createdAt: row.createdAt,
    user: { name: row.userName, email: row.userEmail },
  }
}

/** Whether `error` (or an error it wraps, as drizzle does) is PostgreSQL's unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let cause = error; typeof cause === 'object' && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    const { code, constraint: violated } = cause as { code?: unknown; constraint?: unknown }
    // Both pg and PGlite report the constraint; should a driver not, the code alone decides.
    if (code === '23505') return violated === undefined || violated === constraint
  }
  return false
}
