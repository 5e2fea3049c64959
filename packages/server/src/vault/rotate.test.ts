import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import { type Accounts, accountsFor } from '@patchbay/db'
import { createTestStore, postgresSuiteEnabled, type TestStore } from '@patchbay/db/testing'
import { silentLogger } from '@patchbay/runtime'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateMasterKey, Keyring, loadKeyring, masterKeyPath, readKeyFile } from './keyring.ts'
import { pruneKeys, type RotationAccounts, rotateMasterKey } from './rotate.ts'
import { Vault } from './vault.ts'

const withPostgres = await postgresSuiteEnabled('vault rotation (postgres)')
const kinds = withPostgres ? (['pglite', 'postgres'] as const) : (['pglite'] as const)

let t: TestStore
let accounts: Accounts
let dataDir: string

describe.each(kinds)('on %s', (kind) => {
  beforeEach(async () => {
    t = await createTestStore(kind)
    accounts = accountsFor(t.store)
    dataDir = await mkdtemp(join(tmpdir(), 'patchbay-rotate-'))
    await accounts.ensureOrg({ id: 'org_a', name: 'A' })
    await accounts.ensureOrg({ id: 'org_b', name: 'B' })
    // The first PGlite store of the process migrates a fresh database, which takes seconds.
  }, 60_000)
  afterEach(async () => {
    await t.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  /** A server process: its own keyring loaded now. */
  async function server(env: NodeJS.ProcessEnv = {}): Promise<Vault> {
    const { keyring } = await loadKeyring({ env, dataDir, logger: silentLogger })
    return new Vault({ keyring, accounts })
  }

  async function store(vault: Vault, orgId: string, name: string, value: string): Promise<string> {
    const id = `cred_${randomBytes(6).toString('hex')}`
    const now = new Date()
    await accounts.createCredential({
      id,
      orgId,
      name,
      description: null,
      createdBy: null,
      createdAt: now,
      updatedAt: now,
      ...vault.seal({ orgId, id }, value),
    })
    return id
  }

  const values = { OPENAI_API_KEY: `sk-${'a'.repeat(40)}`, FAL_KEY: 'fal-id:fal-secret', REPLICATE_API_TOKEN: 'r8_xyz' }

  async function storeAll(vault: Vault): Promise<void> {
    for (const orgId of ['org_a', 'org_b']) {
      for (const [name, value] of Object.entries(values)) await store(vault, orgId, name, `${orgId}:${value}`)
    }
  }

  async function expectAllOpen(vault: Vault): Promise<void> {
    for (const orgId of ['org_a', 'org_b']) {
      for (const [name, value] of Object.entries(values)) {
        expect(await vault.credentials().get(orgId, name)).toBe(`${orgId}:${value}`)
      }
    }
  }

  describe('rotateMasterKey with master.key', () => {
    it('prepends a new key, reseals every value under it, and servers loaded before keep working', async () => {
      const before = await server()
      const oldKeyId = before.keyring.current.id
      await storeAll(before)

      const result = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      expect(result).toMatchObject({ source: 'file', resealed: 6, skipped: 0, alreadyCurrent: 0, failed: [] })
      expect(result.keyId).not.toBe(oldKeyId)
      expect(result.oldKeyIds).toEqual([oldKeyId])

      const path = masterKeyPath(dataDir)
      expect((await readKeyFile(path))?.map((key) => key.id)).toEqual([result.keyId, oldKeyId])
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      const rows = await accounts.listAllCredentials()
      expect(new Set(rows.map((row) => row.keyId))).toEqual(new Set([result.keyId]))
      expect(rows.every((row) => row.sealed.startsWith('v1.'))).toBe(true)

      // The server that loaded the keyring before the rotation meets the new key id, reloads and opens.
      expect(before.keyring.get(result.keyId)).toBeUndefined()
      await expectAllOpen(before)
      expect(before.keyring.current.id).toBe(result.keyId)
      // A server started after the rotation opens everything too.
      await expectAllOpen(await server())

      const again = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      expect(again).toMatchObject({ resealed: 6, alreadyCurrent: 0 })
      expect(again.oldKeyIds).toEqual([result.keyId, oldKeyId])
    })

    it('keeps old keys, so a value sealed meanwhile by a server that has not reloaded still opens', async () => {
      const stale = await server()
      await storeAll(stale)
      const result = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      // `stale` has not met the new key yet and still seals with the old one.
      const id = await store(stale, 'org_a', 'LATE_KEY', 'sealed-after-rotation')
      expect((await accounts.getCredential('org_a', id))?.keyId).not.toBe(result.keyId)
      expect(await (await server()).credentials().get('org_a', 'LATE_KEY')).toBe('sealed-after-rotation')

      // The next rotation picks it up; values already on the current key are left alone.
      const fresh = await server()
      const next = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      expect(next).toMatchObject({ resealed: 7, alreadyCurrent: 0 })
      await expectAllOpen(fresh)
    })

    it('counts a credential updated while it runs as skipped and keeps the update', async () => {
      const vault = await server()
      await storeAll(vault)
      const target = (await accounts.getCredentialByName('org_b', 'FAL_KEY'))?.id as string
      let updated = false
      // Another server, already on the new key, writes between the rotation's read and its write.
      const racing: RotationAccounts = {
        listAllCredentials: () => accounts.listAllCredentials(),
        getCredential: (orgId, id) => accounts.getCredential(orgId, id),
        resealCredential: async (args) => {
          if (args.id === target && !updated) {
            updated = true
            const other = await server()
            await accounts.updateCredential('org_b', target, other.seal({ orgId: 'org_b', id: target }, 'updated'))
          }
          return await accounts.resealCredential(args)
        },
      }
      const result = await rotateMasterKey({ accounts: racing, dataDir, env: {}, logger: silentLogger })
      expect(result).toMatchObject({ resealed: 5, skipped: 1, alreadyCurrent: 0 })
      expect(await vault.credentials().get('org_b', 'FAL_KEY')).toBe('updated')
    })

    it('leaves a value that does not authenticate as it is and reports it', async () => {
      const vault = await server()
      await storeAll(vault)
      const bad = await accounts.getCredentialByName('org_a', 'OPENAI_API_KEY')
      if (!bad) throw new Error('missing fixture')
      const tampered = vault.seal({ orgId: 'org_b', id: bad.id }, 'x').sealed
      await accounts.updateCredential('org_a', bad.id, { sealed: tampered })
      const result = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      expect(result).toMatchObject({ resealed: 5, skipped: 0 })
      expect(result.failed).toEqual([{ orgId: 'org_a', id: bad.id, name: 'OPENAI_API_KEY', keyId: bad.keyId }])
      expect(await accounts.getCredential('org_a', bad.id)).toMatchObject({ keyId: bad.keyId, sealed: tampered })
    })

    it('changes nothing when a value is sealed with a key it does not hold', async () => {
      await server()
      const foreign = new Vault({
        keyring: new Keyring([generateMasterKey()]),
        accounts,
      })
      await store(foreign, 'org_a', 'OPENAI_API_KEY', 'v')
      const before = await readFile(masterKeyPath(dataDir), 'utf8')
      const error = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PatchbayError)
      expect((error as PatchbayError).code).toBe('VAULT_KEY_MISSING')
      expect((error as Error).message).toContain(foreign.keyring.current.id)
      expect(await readFile(masterKeyPath(dataDir), 'utf8')).toBe(before)
    })

    it('refuses without a key file instead of creating one', async () => {
      const error = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger }).catch((e: unknown) => e)
      expect((error as PatchbayError).code).toBe('INVALID_CONFIG')
      await expect(stat(masterKeyPath(dataDir))).rejects.toThrow()
    })

    it('refuses while another live process holds the key file lock, and takes over a dead one', async () => {
      await server()
      const lock = `${masterKeyPath(dataDir)}.lock`
      await writeFile(lock, String(process.pid))
      const error = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger }).catch((e: unknown) => e)
      expect((error as PatchbayError).code).toBe('KEY_FILE_LOCKED')
      await writeFile(lock, '2147483646')
      await expect(rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })).resolves.toMatchObject({
        source: 'file',
      })
      await expect(stat(lock)).rejects.toThrow()
    })
  })

  describe('rotateMasterKey with PATCHBAY_MASTER_KEY', () => {
    it('reseals under the first key of the variable without writing a file', async () => {
      const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64url')]
      const before = await server({ PATCHBAY_MASTER_KEY: oldKey })
      await storeAll(before)
      // The operator prepends the new key; the old one stays so the old values still open.
      const env = { PATCHBAY_MASTER_KEY: `${newKey},${oldKey}` }
      const after = await server(env)
      const result = await rotateMasterKey({ accounts, dataDir, env, logger: silentLogger })
      expect(result).toMatchObject({ source: 'env', resealed: 6, skipped: 0, alreadyCurrent: 0 })
      expect(result.keyId).toBe(after.keyring.current.id)
      expect(result.oldKeyIds).toEqual([before.keyring.current.id])
      await expect(stat(masterKeyPath(dataDir))).rejects.toThrow()
      await expectAllOpen(after)
      expect(await rotateMasterKey({ accounts, dataDir, env, logger: silentLogger })).toMatchObject({
        resealed: 0,
        alreadyCurrent: 6,
      })

      const pruned = await pruneKeys({ accounts, dataDir, env, logger: silentLogger })
      expect(pruned).toMatchObject({
        source: 'env',
        removed: [],
        unused: [{ position: 2, keyId: before.keyring.current.id }],
      })
    })
  })

  describe('pruneKeys', () => {
    it('drops file keys no credential uses any more and always keeps the current one', async () => {
      const stale = await server()
      const oldest = stale.keyring.current.id
      await storeAll(stale)
      const rotation = await rotateMasterKey({ accounts, dataDir, env: {}, logger: silentLogger })
      // A server that has not reloaded seals a straggler with the old key: that key must stay.
      const straggler = await store(stale, 'org_a', 'STRAGGLER', 'still-here')
      expect(await pruneKeys({ accounts, dataDir, env: {}, logger: silentLogger })).toEqual({
        source: 'file',
        kept: [rotation.keyId, oldest],
        removed: [],
        unused: [],
      })

      await accounts.deleteCredential('org_a', straggler)
      expect(await pruneKeys({ accounts, dataDir, env: {}, logger: silentLogger })).toEqual({
        source: 'file',
        kept: [rotation.keyId],
        removed: [oldest],
        unused: [],
      })
      expect((await readKeyFile(masterKeyPath(dataDir)))?.map((key) => key.id)).toEqual([rotation.keyId])
      expect((await stat(masterKeyPath(dataDir))).mode & 0o777).toBe(0o600)
      await expectAllOpen(await server())
    })
  })
})
