import { and, asc, desc, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm'
import { apiKeys, credentials, invitations, members, organizations, users } from '../schema.ts'
import { arrayParam } from '../sql/array-param.ts'
import type { SqlDatabase } from '../sql/database.ts'
import { byCodePoint } from '../sql/order.ts'
import { sqlDatabaseOf } from '../sql/sql-store.ts'
import type { Store } from '../store.ts'
import {
  type Accounts,
  type ActiveApiKey,
  type ApiKeyRecord,
  type CredentialRecord,
  DuplicateCredentialError,
  type InvitationRecord,
  type MemberRecord,
  type OrgRecord,
  type Role,
  roles,
  type UserRecord,
} from './accounts.ts'
import { isUniqueViolation, toApiKeyRecord, toInvitationRecord, toMemberRecord } from './rows.ts'

const userColumns = { id: users.id, name: users.name, email: users.email, createdAt: users.createdAt }

const memberColumns = {
  orgId: members.orgId,
  userId: members.userId,
  role: members.role,
  createdAt: members.createdAt,
  userName: users.name,
  userEmail: users.email,
}

const duplicateName = 'credentials_org_name_unique'

/**
 * {@link Accounts} on the SQL store's database (PGlite or PostgreSQL), next to better-auth's
 * tables. Ids, times and hashes come from the caller; this only stores and checks them.
 */
export class SqlAccounts implements Accounts {
  readonly #db: SqlDatabase

  constructor(db: SqlDatabase) {
    this.#db = db
  }

  async countUsers(): Promise<number> {
    return await this.#db.$count(users)
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.#db.select(userColumns).from(users).where(eq(users.id, id))
    return row
  }

  async getUserByEmail(email: string): Promise<UserRecord | undefined> {
    // The same expression as the unique index `users_email_lower_unique`, which answers it.
    const [row] = await this.#db.select(userColumns).from(users).where(sql`lower(${users.email}) = lower(${email})`)
    return row
  }

  async ensureOrg(org: { id: string; name: string }): Promise<OrgRecord> {
    const [inserted] = await this.#db
      .insert(organizations)
      .values({ id: org.id, name: org.name })
      .onConflictDoNothing({ target: organizations.id })
      .returning()
    return inserted ?? (await this.getOrg(org.id))!
  }

  async createOrg(args: { id: string; name: string; ownerId: string }): Promise<OrgRecord> {
    return await this.#db.transaction(async (tx) => {
      const [org] = await tx.insert(organizations).values({ id: args.id, name: args.name }).returning()
      await tx.insert(members).values({ orgId: args.id, userId: args.ownerId, role: 'owner' })
      return org!
    })
  }

  async getOrg(id: string): Promise<OrgRecord | undefined> {
    const [row] = await this.#db.select().from(organizations).where(eq(organizations.id, id))
    return row
  }

  async renameOrg(id: string, name: string): Promise<OrgRecord | undefined> {
    const [row] = await this.#db.update(organizations).set({ name }).where(eq(organizations.id, id)).returning()
    return row
  }

  async listOrgsOfUser(userId: string): Promise<(OrgRecord & { role: Role })[]> {
    const rows = await this.#db
      .select({
        id: organizations.id,
        name: organizations.name,
        createdAt: organizations.createdAt,
        role: members.role,
      })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.orgId))
      .where(eq(members.userId, userId))
      .orderBy(asc(members.createdAt), byCodePoint(members.orgId))
    return rows.map((row) => ({ ...row, role: row.role as Role }))
  }

  async listMembers(orgId: string): Promise<MemberRecord[]> {
    const rows = await this.#db
      .select(memberColumns)
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(eq(members.orgId, orgId))
      .orderBy(asc(members.createdAt), byCodePoint(members.userId))
    return rows.map(toMemberRecord)
  }

  async getMember(orgId: string, userId: string): Promise<MemberRecord | undefined> {
    return await memberOf(this.#db, orgId, userId)
  }

  async putMember(args: { orgId: string; userId: string; role: Role }): Promise<MemberRecord> {
    return await this.#db.transaction(async (tx) => {
      await tx
        .insert(members)
        .values(args)
        .onConflictDoUpdate({ target: [members.orgId, members.userId], set: { role: args.role } })
      return (await memberOf(tx, args.orgId, args.userId))!
    })
  }

  async removeMember(orgId: string, userId: string, now: Date): Promise<boolean> {
    return await this.#db.transaction(async (tx) => {
      const removed = await tx
        .delete(members)
        .where(and(eq(members.orgId, orgId), eq(members.userId, userId)))
        .returning({ userId: members.userId })
      if (removed.length === 0) return false
      await tx
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
      return true
    })
  }

  async countOwners(orgId: string): Promise<number> {
    return await this.#db.$count(members, and(eq(members.orgId, orgId), eq(members.role, 'owner')))
  }

  async createInvitation(invitation: InvitationRecord): Promise<InvitationRecord> {
    const [row] = await this.#db
      .insert(invitations)
      .values({ ...invitation, email: invitation.email.toLowerCase() })
      .returning()
    return toInvitationRecord(row!)
  }

  async listInvitations(orgId: string): Promise<InvitationRecord[]> {
    const rows = await this.#db
      .select()
      .from(invitations)
      .where(eq(invitations.orgId, orgId))
      .orderBy(
        desc(sql`(${invitations.acceptedAt} is null and ${invitations.revokedAt} is null)`),
        desc(invitations.createdAt),
        desc(byCodePoint(invitations.id)),
      )
    return rows.map(toInvitationRecord)
  }

  async getInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | undefined> {
    const [row] = await this.#db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash))
    return row && toInvitationRecord(row)
  }

  async acceptInvitation(args: { id: string; userId: string; now: Date }): Promise<MemberRecord | undefined> {
    return await this.#db.transaction(async (tx) => {
      // The row lock this takes makes a concurrent acceptance wait, then find it accepted.
      const [invitation] = await tx
        .update(invitations)
        .set({ acceptedAt: args.now, acceptedBy: args.userId })
        .where(
          and(
            eq(invitations.id, args.id),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, args.now),
          ),
        )
        .returning()
      if (!invitation) return undefined
      await tx
        .insert(members)
        .values({ orgId: invitation.orgId, userId: args.userId, role: invitation.role })
        .onConflictDoUpdate({
          target: [members.orgId, members.userId],
          set: { role: sql`excluded.role` },
          // An invitation never lowers a role.
          setWhere: sql`${roleRank(members.role)} < ${roleRank(sql`excluded.role`)}`,
        })
      return await memberOf(tx, invitation.orgId, args.userId)
    })
  }

  async revokeInvitation(orgId: string, id: string, now: Date): Promise<boolean> {
    const revoked = await this.#db
      .update(invitations)
      .set({ revokedAt: sql`coalesce(${invitations.revokedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id), isNull(invitations.acceptedAt)))
      .returning({ id: invitations.id })
    return revoked.length > 0
  }

  async createApiKey(key: ApiKeyRecord): Promise<ApiKeyRecord> {
    const [row] = await this.#db.insert(apiKeys).values(key).returning()
    return toApiKeyRecord(row!)
  }

  async listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.#db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.orgId, orgId))
      .orderBy(desc(apiKeys.createdAt), desc(byCodePoint(apiKeys.id)))
    return rows.map(toApiKeyRecord)
  }

  async findActiveApiKey(hash: string, now: Date): Promise<ActiveApiKey | undefined> {
    const [row] = await this.#db
      .select({ key: apiKeys, creatorRole: members.role })
      .from(apiKeys)
      .leftJoin(members, and(eq(members.orgId, apiKeys.orgId), eq(members.userId, apiKeys.createdBy)))
      .where(
        and(
          eq(apiKeys.hash, hash),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
        ),
      )
    return row && { ...toApiKeyRecord(row.key), creatorRole: row.creatorRole as Role | null }
  }

  async revokeApiKey(orgId: string, id: string, now: Date): Promise<boolean> {
    const revoked = await this.#db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)))
      .returning({ id: apiKeys.id })
    return revoked.length > 0
  }

  async touchApiKey(id: string, now: Date): Promise<void> {
    // Requests using one key finish out of order; the latest use must win.
    await this.#db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now))))
  }

  async createCredential(credential: CredentialRecord): Promise<CredentialRecord> {
    try {
      const [row] = await this.#db.insert(credentials).values(credential).returning()
      return row!
    } catch (error) {
      if (isUniqueViolation(error, duplicateName)) throw new DuplicateCredentialError(credential.name)
      throw error
    }
  }

  async listCredentials(orgId: string): Promise<CredentialRecord[]> {
    return await this.#db
      .select()
      .from(credentials)
      .where(eq(credentials.orgId, orgId))
      .orderBy(byCodePoint(credentials.name))
  }

  async countCredentials(orgId: string): Promise<number> {
    return await this.#db.$count(credentials, eq(credentials.orgId, orgId))
  }

  async getCredential(orgId: string, id: string): Promise<CredentialRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(credentials)
      .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id)))
    return row
  }

  async getCredentialByName(orgId: string, name: string): Promise<CredentialRecord | undefined> {
    const [row] = await this.#db
      .select()
      .from(credentials)
      .where(and(eq(credentials.orgId, orgId), eq(credentials.name, name)))
    return row
  }

  async updateCredential(
    orgId: string,
    id: string,
    changes: { name?: string; description?: string | null; keyId?: string; sealed?: string },
  ): Promise<CredentialRecord | undefined> {
    // Only these columns, whatever else the object carries; drizzle skips those left undefined.
    const { name, description, keyId, sealed } = changes
    try {
      const [row] = await this.#db
        .update(credentials)
        .set({ name, description, keyId, sealed, updatedAt: new Date() })
        .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id)))
        .returning()
      return row
    } catch (error) {
      if (name !== undefined && isUniqueViolation(error, duplicateName)) throw new DuplicateCredentialError(name)
      throw error
    }
  }

  async deleteCredential(orgId: string, id: string): Promise<boolean> {
    const deleted = await this.#db
      .delete(credentials)
      .where(and(eq(credentials.orgId, orgId), eq(credentials.id, id)))
      .returning({ id: credentials.id })
    return deleted.length > 0
  }

  async listAllCredentials(): Promise<CredentialRecord[]> {
    return await this.#db
      .select()
      .from(credentials)
      .orderBy(byCodePoint(credentials.orgId), byCodePoint(credentials.name))
  }

  async resealCredential(args: {
    id: string
    expectedKeyId: string
    expectedSealed?: string
    keyId: string
    sealed: string
  }): Promise<boolean> {
    const updated = await this.#db
      .update(credentials)
      .set({ keyId: args.keyId, sealed: args.sealed })
      .where(
        and(
          eq(credentials.id, args.id),
          eq(credentials.keyId, args.expectedKeyId),
          args.expectedSealed === undefined ? undefined : eq(credentials.sealed, args.expectedSealed),
        ),
      )
      .returning({ id: credentials.id })
    return updated.length > 0
  }
}

/**
 * The accounts of a SQL store, in its database.
 *
 * @throws Error for the memory store, which has no accounts.
 */
export function accountsFor(store: Store): Accounts {
  return new SqlAccounts(sqlDatabaseOf(store))
}

async function memberOf(db: SqlDatabase, orgId: string, userId: string): Promise<MemberRecord | undefined> {
  const [row] = await db
    .select(memberColumns)
    .from(members)
    .innerJoin(users, eq(users.id, members.userId))
    .where(and(eq(members.orgId, orgId), eq(members.userId, userId)))
  return row && toMemberRecord(row)
}

/** A role's place in `roles`, weakest first. */
function roleRank(role: SQL | typeof members.role): SQL {
  return sql`array_position(${arrayParam(roles, 'text')}, ${role})`
}
