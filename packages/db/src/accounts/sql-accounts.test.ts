import { eq } from 'drizzle-orm'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryStore } from '../memory/memory-store.ts'
import { users } from '../schema.ts'
import type { SqlDatabase } from '../sql/database.ts'
import { sqlDatabaseOf } from '../sql/sql-store.ts'
import { postgresSuiteEnabled } from '../testing/postgres-for-tests.ts'
import { createTestStore, type TestStore } from '../testing/test-store.ts'
import {
  type Accounts,
  type ApiKeyRecord,
  type CredentialRecord,
  DuplicateCredentialError,
  type InvitationRecord,
} from './accounts.ts'
import { accountsFor } from './sql-accounts.ts'

const withPostgres = await postgresSuiteEnabled('SqlAccounts (postgres)')

describe('SqlAccounts (pglite)', () => accountsSuite('pglite'))
describe.skipIf(!withPostgres)('SqlAccounts (postgres)', () => accountsSuite('postgres'))

describe('accountsFor', () => {
  it('refuses the memory store, which has no SQL database', () => {
    const store = new MemoryStore()
    expect(() => accountsFor(store)).toThrow(/memory store has no SQL database/)
    expect(() => sqlDatabaseOf(store)).toThrow(/memory store has no SQL database/)
  })
})

const t0 = new Date('2030-01-01T00:00:00.000Z')
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000)

function accountsSuite(kind: 'pglite' | 'postgres'): void {
  let handle: TestStore
  let db: SqlDatabase
  let accounts: Accounts

  beforeEach(async () => {
    handle = await createTestStore(kind)
    db = sqlDatabaseOf(handle.store)
    accounts = accountsFor(handle.store)
  }, 60_000)
  afterEach(async () => {
    await handle.close()
  })

  /** Users are better-auth's to create; tests write the rows themselves. */
  async function addUser(id: string, email = `${id}@example.com`): Promise<void> {
    await db.insert(users).values({ id, name: `User ${id}`, email })
  }

  /** An organisation `org` owned by `owner`, a new user. */
  async function addOrg(org = 'org-1', owner = 'owner'): Promise<void> {
    await addUser(owner)
    await accounts.createOrg({ id: org, name: `Org ${org}`, ownerId: owner })
  }

  describe('users', () => {
    it('counts and reads users, finding emails case-insensitively', async () => {
      expect(await accounts.countUsers()).toBe(0)
      await addUser('ada', 'ada@example.com')
      await addUser('bob')
      expect(await accounts.countUsers()).toBe(2)
      const ada = { id: 'ada', name: 'User ada', email: 'ada@example.com', createdAt: expect.any(Date) }
      expect(await accounts.getUser('ada')).toEqual(ada)
      expect(await accounts.getUserByEmail('ADA@Example.com')).toEqual(ada)
      expect(await accounts.getUser('nobody')).toBeUndefined()
      expect(await accounts.getUserByEmail('nobody@example.com')).toBeUndefined()
    })

    it('refuses a second account whose email differs only in case', async () => {
      await addUser('ada', 'ada@example.com')
      await expect(addUser('ada2', 'Ada@Example.com')).rejects.toThrow()
    })
  })

  describe('organisations', () => {
    it('creates an organisation with its owner', async () => {
      await addUser('ada')
      const org = await accounts.createOrg({ id: 'org-1', name: 'Lab', ownerId: 'ada' })
      expect(org).toEqual({ id: 'org-1', name: 'Lab', createdAt: expect.any(Date) })
      expect(await accounts.getOrg('org-1')).toEqual(org)
      expect(await accounts.getMember('org-1', 'ada')).toEqual({
        orgId: 'org-1',
        userId: 'ada',
        role: 'owner',
        createdAt: expect.any(Date),
        user: { name: 'User ada', email: 'ada@example.com' },
      })
      expect(await accounts.countOwners('org-1')).toBe(1)
    })

    it('creates nothing when the owner does not exist', async () => {
      await expect(accounts.createOrg({ id: 'org-1', name: 'Lab', ownerId: 'ghost' })).rejects.toThrow()
      expect(await accounts.getOrg('org-1')).toBeUndefined()
    })

    it('ensures an organisation exists without changing an existing one', async () => {
      const created = await accounts.ensureOrg({ id: 'default', name: 'Default' })
      expect(created).toEqual({ id: 'default', name: 'Default', createdAt: expect.any(Date) })
      expect(await accounts.ensureOrg({ id: 'default', name: 'Other' })).toEqual(created)
    })

    it('renames an organisation', async () => {
      await addOrg('org-1')
      expect(await accounts.renameOrg('org-1', 'New name')).toMatchObject({ id: 'org-1', name: 'New name' })
      expect((await accounts.getOrg('org-1'))?.name).toBe('New name')
      expect(await accounts.renameOrg('missing', 'x')).toBeUndefined()
    })

    it("lists a user's organisations with the role there, oldest membership first", async () => {
      await addUser('ada')
      await addOrg('org-b', 'bob')
      await pause()
      await accounts.createOrg({ id: 'org-a', name: 'A', ownerId: 'ada' })
      await pause()
      await accounts.putMember({ orgId: 'org-b', userId: 'ada', role: 'viewer' })
      expect(await accounts.listOrgsOfUser('ada')).toEqual([
        { id: 'org-a', name: 'A', createdAt: expect.any(Date), role: 'owner' },
        { id: 'org-b', name: 'Org org-b', createdAt: expect.any(Date), role: 'viewer' },
      ])
      expect(await accounts.listOrgsOfUser('nobody')).toEqual([])
    })
  })

  describe('members', () => {
    it('adds a member, changes its role, and removes it, in its organisation only', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await addUser('ada')
      const added = await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'viewer' })
      expect(added).toMatchObject({ orgId: 'org-1', userId: 'ada', role: 'viewer', user: { email: 'ada@example.com' } })
      const changed = await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'admin' })
      expect(changed).toEqual({ ...added, role: 'admin' })
      expect((await accounts.listMembers('org-1')).map((member) => [member.userId, member.role])).toEqual([
        ['owner', 'owner'],
        ['ada', 'admin'],
      ])
      expect(await accounts.getMember('org-2', 'ada')).toBeUndefined()

      expect(await accounts.removeMember('org-2', 'ada', t0)).toBe(false)
      expect(await accounts.removeMember('org-1', 'ada', t0)).toBe(true)
      expect(await accounts.removeMember('org-1', 'ada', t0)).toBe(false)
      expect(await accounts.getMember('org-1', 'ada')).toBeUndefined()
    })

    it('counts the owners of one organisation', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await addUser('ada')
      await addUser('bob')
      await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'owner' })
      await accounts.putMember({ orgId: 'org-1', userId: 'bob', role: 'admin' })
      expect(await accounts.countOwners('org-1')).toBe(2)
      expect(await accounts.countOwners('org-2')).toBe(1)
      expect(await accounts.countOwners('missing')).toBe(0)
    })

    it('refuses a role outside `roles`', async () => {
      await addOrg('org-1')
      await addUser('ada')
      const role = 'superuser' as 'owner'
      await expect(accounts.putMember({ orgId: 'org-1', userId: 'ada', role })).rejects.toThrow()
    })
  })

  describe('invitations', () => {
    function invitation(id: string, overrides: Partial<InvitationRecord> = {}): InvitationRecord {
      return {
        id,
        orgId: 'org-1',
        email: `${id}@example.com`,
        role: 'editor',
        tokenHash: `hash-${id}`,
        invitedBy: 'owner',
        createdAt: t0,
        expiresAt: later(3600),
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
        ...overrides,
      }
    }

    it('stores an invitation with its email lower-cased and finds it by token hash', async () => {
      await addOrg('org-1')
      const created = await accounts.createInvitation(invitation('inv-1', { email: 'Ada@Example.COM' }))
      expect(created).toEqual(invitation('inv-1', { email: 'ada@example.com' }))
      expect(await accounts.getInvitationByTokenHash('hash-inv-1')).toEqual(created)
      expect(await accounts.getInvitationByTokenHash('hash-other')).toBeUndefined()
    })

    it('lists pending invitations first, newest first, in one organisation', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await accounts.createInvitation(invitation('old', { createdAt: later(1) }))
      await accounts.createInvitation(invitation('new', { createdAt: later(3) }))
      await accounts.createInvitation(invitation('revoked', { createdAt: later(4), revokedAt: later(5) }))
      await accounts.createInvitation(invitation('accepted', { createdAt: later(2) }))
      await addUser('accepted')
      await accounts.acceptInvitation({ id: 'accepted', userId: 'accepted', now: later(10) })
      await accounts.createInvitation(invitation('elsewhere', { orgId: 'org-2' }))
      expect((await accounts.listInvitations('org-1')).map((item) => item.id)).toEqual([
        'new',
        'old',
        'revoked',
        'accepted',
      ])
    })

    it('accepts a pending invitation once, adding the member', async () => {
      await addOrg('org-1')
      await addUser('ada')
      await accounts.createInvitation(invitation('inv-1', { role: 'admin' }))
      const member = await accounts.acceptInvitation({ id: 'inv-1', userId: 'ada', now: later(60) })
      expect(member).toMatchObject({ orgId: 'org-1', userId: 'ada', role: 'admin', user: { name: 'User ada' } })
      expect(await accounts.getInvitationByTokenHash('hash-inv-1')).toMatchObject({
        acceptedAt: later(60),
        acceptedBy: 'ada',
      })
      await addUser('bob')
      expect(await accounts.acceptInvitation({ id: 'inv-1', userId: 'bob', now: later(61) })).toBeUndefined()
      expect(await accounts.getMember('org-1', 'bob')).toBeUndefined()
    })

    it('refuses an expired, revoked or unknown invitation', async () => {
      await addOrg('org-1')
      await addUser('ada')
      await accounts.createInvitation(invitation('expired', { expiresAt: later(60) }))
      await accounts.createInvitation(invitation('revoked'))
      expect(await accounts.revokeInvitation('org-1', 'revoked', later(1))).toBe(true)
      expect(await accounts.acceptInvitation({ id: 'expired', userId: 'ada', now: later(60) })).toBeUndefined()
      expect(await accounts.acceptInvitation({ id: 'revoked', userId: 'ada', now: later(2) })).toBeUndefined()
      expect(await accounts.acceptInvitation({ id: 'missing', userId: 'ada', now: later(2) })).toBeUndefined()
      expect(await accounts.getMember('org-1', 'ada')).toBeUndefined()
      expect(await accounts.getInvitationByTokenHash('hash-expired')).toMatchObject({ acceptedAt: null })
    })

    it('raises an existing member to the invited role, never lowers one', async () => {
      await addOrg('org-1')
      await addUser('viewer')
      await accounts.putMember({ orgId: 'org-1', userId: 'viewer', role: 'viewer' })
      await accounts.createInvitation(invitation('up', { role: 'admin' }))
      await accounts.createInvitation(invitation('down', { role: 'editor' }))
      expect(await accounts.acceptInvitation({ id: 'up', userId: 'viewer', now: later(1) })).toMatchObject({
        role: 'admin',
      })
      expect(await accounts.acceptInvitation({ id: 'down', userId: 'owner', now: later(1) })).toMatchObject({
        role: 'owner',
      })
      expect(await accounts.countOwners('org-1')).toBe(1)
    })

    it('revokes in its organisation only, not once accepted, keeping the first time', async () => {
      await addOrg('org-1')
      await addUser('ada')
      await accounts.createInvitation(invitation('inv-1'))
      await accounts.createInvitation(invitation('inv-2'))
      expect(await accounts.revokeInvitation('org-2', 'inv-1', later(1))).toBe(false)
      expect(await accounts.revokeInvitation('org-1', 'inv-1', later(1))).toBe(true)
      expect(await accounts.revokeInvitation('org-1', 'inv-1', later(2))).toBe(true)
      expect((await accounts.getInvitationByTokenHash('hash-inv-1'))?.revokedAt).toEqual(later(1))
      await accounts.acceptInvitation({ id: 'inv-2', userId: 'ada', now: later(1) })
      expect(await accounts.revokeInvitation('org-1', 'inv-2', later(2))).toBe(false)
    })
  })

  describe('API keys', () => {
    function apiKey(id: string, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
      return {
        id,
        orgId: 'org-1',
        createdBy: 'owner',
        name: `key ${id}`,
        prefix: `pb_${id}`,
        hash: `hash-${id}`,
        role: 'editor',
        createdAt: t0,
        lastUsedAt: null,
        expiresAt: null,
        revokedAt: null,
        ...overrides,
      }
    }

    it('creates keys and lists them newest first, revoked ones included, per organisation', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      expect(await accounts.createApiKey(apiKey('old'))).toEqual(apiKey('old'))
      await accounts.createApiKey(apiKey('new', { createdAt: later(5), revokedAt: later(6) }))
      await accounts.createApiKey(apiKey('elsewhere', { orgId: 'org-2', createdBy: 'other-owner' }))
      expect((await accounts.listApiKeys('org-1')).map((key) => key.id)).toEqual(['new', 'old'])
    })

    it('finds only keys neither revoked nor expired', async () => {
      await addOrg('org-1')
      await accounts.createApiKey(apiKey('forever'))
      await accounts.createApiKey(apiKey('expiring', { expiresAt: later(60) }))
      await accounts.createApiKey(apiKey('revoked'))
      expect(await accounts.revokeApiKey('org-1', 'revoked', later(1))).toBe(true)
      const now = later(30)
      expect(await accounts.findActiveApiKey('hash-forever', now)).toEqual({
        ...apiKey('forever'),
        creatorRole: 'owner',
      })
      expect((await accounts.findActiveApiKey('hash-expiring', now))?.id).toBe('expiring')
      expect(await accounts.findActiveApiKey('hash-expiring', later(60))).toBeUndefined()
      expect(await accounts.findActiveApiKey('hash-revoked', now)).toBeUndefined()
      expect(await accounts.findActiveApiKey('hash-unknown', now)).toBeUndefined()
    })

    it('answers the creator’s current role with the key, and null once they are no member or for an operator’s key', async () => {
      await addOrg('org-1')
      await addUser('ada')
      await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'admin' })
      await accounts.createApiKey(apiKey('ada-key', { createdBy: 'ada', role: 'admin' }))
      await accounts.createApiKey(apiKey('local', { createdBy: null }))
      expect((await accounts.findActiveApiKey('hash-ada-key', t0))?.creatorRole).toBe('admin')
      await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'viewer' })
      expect(await accounts.findActiveApiKey('hash-ada-key', t0)).toMatchObject({
        role: 'admin',
        creatorRole: 'viewer',
      })
      expect(await accounts.findActiveApiKey('hash-local', t0)).toMatchObject({ createdBy: null, creatorRole: null })
    })

    it('revokes a member’s keys in that organisation when they are removed, and deletes them with their account', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await addUser('ada')
      await accounts.putMember({ orgId: 'org-1', userId: 'ada', role: 'admin' })
      await accounts.putMember({ orgId: 'org-2', userId: 'ada', role: 'admin' })
      await accounts.createApiKey(apiKey('ada-1', { createdBy: 'ada' }))
      await accounts.createApiKey(apiKey('ada-2', { createdBy: 'ada', orgId: 'org-2' }))
      await accounts.createApiKey(apiKey('owner-1'))
      expect(await accounts.removeMember('org-1', 'ada', later(1))).toBe(true)
      const revoked = Object.fromEntries((await accounts.listApiKeys('org-1')).map((key) => [key.id, key.revokedAt]))
      expect(revoked).toEqual({ 'ada-1': later(1), 'owner-1': null })
      expect(await accounts.findActiveApiKey('hash-ada-2', later(2))).toMatchObject({ creatorRole: 'admin' })
      await db.delete(users).where(eq(users.id, 'ada'))
      expect(await accounts.listApiKeys('org-2')).toEqual([])
    })

    it('revokes in its organisation only, keeping the first time', async () => {
      await addOrg('org-1')
      await accounts.createApiKey(apiKey('k'))
      expect(await accounts.revokeApiKey('org-2', 'k', later(1))).toBe(false)
      expect(await accounts.revokeApiKey('org-1', 'k', later(1))).toBe(true)
      expect(await accounts.revokeApiKey('org-1', 'k', later(2))).toBe(true)
      expect((await accounts.listApiKeys('org-1'))[0]?.revokedAt).toEqual(later(1))
      expect(await accounts.revokeApiKey('org-1', 'missing', later(1))).toBe(false)
    })

    it('records the last use, never moving it backwards', async () => {
      await addOrg('org-1')
      await accounts.createApiKey(apiKey('k'))
      await accounts.touchApiKey('k', later(10))
      await accounts.touchApiKey('k', later(5))
      expect((await accounts.findActiveApiKey('hash-k', later(11)))?.lastUsedAt).toEqual(later(10))
      await accounts.touchApiKey('missing', later(10))
    })
  })

  describe('credentials', () => {
    function credential(id: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
      return {
        id,
        orgId: 'org-1',
        name: `NAME_${id}`,
        description: null,
        keyId: 'key-1',
        sealed: `sealed-${id}`,
        createdBy: 'owner',
        createdAt: t0,
        updatedAt: t0,
        ...overrides,
      }
    }

    it('stores credentials and reads them in their organisation only', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      const created = await accounts.createCredential(credential('c1', { description: 'the main key' }))
      expect(created).toEqual(credential('c1', { description: 'the main key' }))
      expect(await accounts.getCredential('org-1', 'c1')).toEqual(created)
      expect(await accounts.getCredentialByName('org-1', 'NAME_c1')).toEqual(created)
      expect(await accounts.getCredential('org-2', 'c1')).toBeUndefined()
      expect(await accounts.getCredentialByName('org-2', 'NAME_c1')).toBeUndefined()
      expect(await accounts.listCredentials('org-2')).toEqual([])
      expect(await accounts.countCredentials('org-1')).toBe(1)
      expect(await accounts.countCredentials('org-2')).toBe(0)
    })

    it('lists by name in byte order', async () => {
      await addOrg('org-1')
      for (const [id, name] of [
        ['c1', 'b'],
        ['c2', 'B'],
        ['c3', 'a'],
      ] as const) {
        await accounts.createCredential(credential(id, { name }))
      }
      expect((await accounts.listCredentials('org-1')).map((item) => item.name)).toEqual(['B', 'a', 'b'])
    })

    it('refuses a duplicate name in one organisation, on create and on rename', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await accounts.createCredential(credential('c1', { name: 'OPENAI_API_KEY' }))
      await accounts.createCredential(credential('c2', { name: 'OTHER' }))
      const duplicate = accounts.createCredential(credential('c3', { name: 'OPENAI_API_KEY' }))
      await expect(duplicate).rejects.toThrow(DuplicateCredentialError)
      await expect(duplicate).rejects.toMatchObject({ code: 'DUPLICATE_CREDENTIAL' })
      await accounts.createCredential(credential('c4', { orgId: 'org-2', name: 'OPENAI_API_KEY', createdBy: null }))
      await expect(accounts.updateCredential('org-1', 'c2', { name: 'OPENAI_API_KEY' })).rejects.toThrow(
        DuplicateCredentialError,
      )
      // A duplicate id is a different error.
      const error = await accounts
        .createCredential(credential('c1', { name: 'NEW' }))
        .catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(Error)
      expect(error).not.toBeInstanceOf(DuplicateCredentialError)
    })

    it('updates what it is given, in its organisation only', async () => {
      await addOrg('org-1')
      await accounts.createCredential(credential('c1', { description: 'old' }))
      const renamed = await accounts.updateCredential('org-1', 'c1', { name: 'RENAMED', description: null })
      expect(renamed).toEqual({ ...credential('c1'), name: 'RENAMED', description: null, updatedAt: expect.any(Date) })
      expect(Math.abs(renamed!.updatedAt.getTime() - Date.now())).toBeLessThan(60_000)
      const resealed = await accounts.updateCredential('org-1', 'c1', { keyId: 'key-2', sealed: 'new' })
      expect(resealed).toMatchObject({ name: 'RENAMED', keyId: 'key-2', sealed: 'new' })
      expect(await accounts.updateCredential('org-2', 'c1', { name: 'X' })).toBeUndefined()
      expect(await accounts.updateCredential('org-1', 'missing', { name: 'X' })).toBeUndefined()
    })

    it('deletes in its organisation only', async () => {
      await addOrg('org-1')
      await accounts.createCredential(credential('c1'))
      expect(await accounts.deleteCredential('org-2', 'c1')).toBe(false)
      expect(await accounts.deleteCredential('org-1', 'c1')).toBe(true)
      expect(await accounts.deleteCredential('org-1', 'c1')).toBe(false)
      expect(await accounts.getCredential('org-1', 'c1')).toBeUndefined()
    })

    it('lists every organisation’s credentials and reseals only what the expected key sealed', async () => {
      await addOrg('org-1')
      await addOrg('org-2', 'other-owner')
      await accounts.createCredential(credential('c1', { name: 'A' }))
      await accounts.createCredential(credential('c2', { orgId: 'org-2', name: 'A', createdBy: null }))
      expect((await accounts.listAllCredentials()).map((item) => [item.orgId, item.id])).toEqual([
        ['org-1', 'c1'],
        ['org-2', 'c2'],
      ])
      const reseal = { id: 'c1', expectedKeyId: 'key-1', keyId: 'key-2', sealed: 'resealed' }
      expect(await accounts.resealCredential(reseal)).toBe(true)
      expect(await accounts.resealCredential(reseal)).toBe(false)
      expect(await accounts.getCredential('org-1', 'c1')).toEqual(
        credential('c1', { name: 'A', keyId: 'key-2', sealed: 'resealed' }),
      )
    })

    it('outlives the user who created it, unattributed', async () => {
      await addOrg('org-1')
      await addUser('ada')
      await accounts.createCredential(credential('c1', { createdBy: 'ada' }))
      await db.delete(users).where(eq(users.id, 'ada'))
      expect((await accounts.getCredential('org-1', 'c1'))?.createdBy).toBeNull()
    })
  })
}

/** Long enough for the next write to get a later millisecond. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3))
}
