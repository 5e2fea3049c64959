/** Organisation roles, weakest first: viewers read; editors edit and run; admins manage; owners everything. */
export const roles = ['viewer', 'editor', 'admin', 'owner'] as const
export type Role = (typeof roles)[number]

export interface UserRecord {
  id: string
  name: string
  email: string
  createdAt: Date
}

export interface OrgRecord {
  id: string
  name: string
  createdAt: Date
}

export interface MemberRecord {
  orgId: string
  userId: string
  role: Role
  createdAt: Date
  /** The member's account (joined from the users table). */
  user: { name: string; email: string }
}

export interface InvitationRecord {
  id: string
  orgId: string
  /** Lower-cased. */
  email: string
  role: Role
  /** sha256 (hex) of the token sent to the invitee; the token itself is never stored. */
  tokenHash: string
  invitedBy: string | null
  createdAt: Date
  expiresAt: Date
  acceptedAt: Date | null
  acceptedBy: string | null
  revokedAt: Date | null
}

export interface ApiKeyRecord {
  id: string
  orgId: string
  /**
   * Who created it; the key acts in `orgId` with `role` or its creator's current role there,
   * whichever is lower, and is deleted with its creator. Null for a key an operator created in
   * local mode, which acts with `role`.
   */
  createdBy: string | null
  name: string
  /** The first characters of the key, shown in listings so people can tell keys apart. */
  prefix: string
  /** sha256 (hex) of the whole key. */
  hash: string
  role: Role
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date | null
  revokedAt: Date | null
}

/** A usable key, as authentication reads it: one query answers both the key and its creator's standing. */
export interface ActiveApiKey extends ApiKeyRecord {
  /** The creator's role in the key's organisation now; null when there is no creator or they are no longer a member. */
  creatorRole: Role | null
}

/** A provider key in the vault: `sealed` is the vault's ciphertext, opaque to the store. */
export interface CredentialRecord {
  id: string
  orgId: string
  /** What nodes look it up by, e.g. `OPENAI_API_KEY`; unique per organisation. */
  name: string
  description: string | null
  /** Id of the master key that sealed the value. */
  keyId: string
  sealed: string
  createdBy: string | null
  createdAt: Date
  updatedAt: Date
}

/**
 * Organisations, memberships, invitations, API keys and vault entries. Users, sessions and
 * passwords belong to the auth library (better-auth) and live in its tables of the same
 * database; this reads users but never writes them.
 */
export interface Accounts {
  countUsers(): Promise<number>
  getUser(id: string): Promise<UserRecord | undefined>
  /** Case-insensitive. */
  getUserByEmail(email: string): Promise<UserRecord | undefined>

  /** Creates the organisation unless one with this id exists; returns the stored one. */
  ensureOrg(org: { id: string; name: string }): Promise<OrgRecord>
  /** Creates an organisation with `ownerId` as its owner, in one transaction. */
  createOrg(args: { id: string; name: string; ownerId: string }): Promise<OrgRecord>
  getOrg(id: string): Promise<OrgRecord | undefined>
  renameOrg(id: string, name: string): Promise<OrgRecord | undefined>
  /** The organisations a user belongs to with their role there, oldest membership first. */
  listOrgsOfUser(userId: string): Promise<(OrgRecord & { role: Role })[]>

  /** Oldest membership first. */
  listMembers(orgId: string): Promise<MemberRecord[]>
  getMember(orgId: string, userId: string): Promise<MemberRecord | undefined>
  /** Adds the member, or changes the role of an existing one. */
  putMember(args: { orgId: string; userId: string; role: Role }): Promise<MemberRecord>
  /** Removes the membership and revokes, at `now`, the API keys the member created in the organisation, in one transaction. */
  removeMember(orgId: string, userId: string, now: Date): Promise<boolean>
  countOwners(orgId: string): Promise<number>

  createInvitation(invitation: InvitationRecord): Promise<InvitationRecord>
  /** Pending first (not accepted, not revoked), newest first. */
  listInvitations(orgId: string): Promise<InvitationRecord[]>
  getInvitationByTokenHash(tokenHash: string): Promise<InvitationRecord | undefined>
  /**
   * Marks a pending, unexpired invitation accepted by `userId` and adds the membership (or
   * raises an existing member to the invited role if that is higher), in one transaction.
   * `undefined` when it is not pending or has expired.
   */
  acceptInvitation(args: { id: string; userId: string; now: Date }): Promise<MemberRecord | undefined>
  /** False when the organisation has no such invitation or it was accepted; revoking twice keeps the first time. */
  revokeInvitation(orgId: string, id: string, now: Date): Promise<boolean>

  createApiKey(key: ApiKeyRecord): Promise<ApiKeyRecord>
  /** Newest first, revoked ones included. */
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>
  /** A key that is neither revoked nor expired at `now`, with its creator's current role in the key's organisation. */
  findActiveApiKey(hash: string, now: Date): Promise<ActiveApiKey | undefined>
  /** False when the organisation has no such key; revoking twice keeps the first time. */
  revokeApiKey(orgId: string, id: string, now: Date): Promise<boolean>
  /** Sets `lastUsedAt`, never moving it backwards. */
  touchApiKey(id: string, now: Date): Promise<void>

  /** Throws `DuplicateCredentialError` when the organisation already has one with that name. */
  createCredential(credential: CredentialRecord): Promise<CredentialRecord>
  /** Ordered by name. */
  listCredentials(orgId: string): Promise<CredentialRecord[]>
  /** How many credentials the organisation holds. */
  countCredentials(orgId: string): Promise<number>
  getCredential(orgId: string, id: string): Promise<CredentialRecord | undefined>
  getCredentialByName(orgId: string, name: string): Promise<CredentialRecord | undefined>
  /** Sets `updatedAt`. Throws `DuplicateCredentialError` on a rename onto an existing name. */
  updateCredential(
    orgId: string,
    id: string,
    changes: { name?: string; description?: string | null; keyId?: string; sealed?: string },
  ): Promise<CredentialRecord | undefined>
  deleteCredential(orgId: string, id: string): Promise<boolean>
  /** Every vault entry of every organisation (for key rotation), by organisation, then name. */
  listAllCredentials(): Promise<CredentialRecord[]>
  /**
   * Replaces the sealed value only if it is still sealed by `expectedKeyId` and, when given,
   * still equals `expectedSealed` (so rotation never overwrites an update that raced it).
   * Leaves `updatedAt` alone: the value is unchanged, only sealed anew.
   */
  resealCredential(args: {
    id: string
    expectedKeyId: string
    expectedSealed?: string
    keyId: string
    sealed: string
  }): Promise<boolean>
}

export class DuplicateCredentialError extends Error {
  readonly code = 'DUPLICATE_CREDENTIAL'
  constructor(name: string) {
    super(`a credential named "${name}" already exists in this organisation`)
    this.name = 'DuplicateCredentialError'
  }
}
