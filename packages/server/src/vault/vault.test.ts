import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import type { CredentialRecord } from '@patchbay/db'
import { silentLogger } from '@patchbay/runtime'
import { describe, expect, it } from 'vitest'
import { generateMasterKey, Keyring, loadKeyring, masterKeyPath, readKeyFile, writeKeyFile } from './keyring.ts'
import { Vault } from './vault.ts'

/** Credentials by org and name, standing in for the store. */
function credentialTable(records: CredentialRecord[] = []) {
  return {
    records,
    getCredentialByName: async (orgId: string, name: string) =>
      records.find((record) => record.orgId === orgId && record.name === name),
  }
}

function record(fields: Pick<CredentialRecord, 'id' | 'orgId' | 'name' | 'keyId' | 'sealed'>): CredentialRecord {
  const now = new Date()
  return { description: null, createdBy: null, createdAt: now, updatedAt: now, ...fields }
}

async function decryptError(promise: Promise<unknown>): Promise<PatchbayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PatchbayError)
  expect((error as PatchbayError).code).toBe('VAULT_DECRYPT_FAILED')
  return error as PatchbayError
}

const secret = `sk-proj-${randomBytes(24).toString('base64url')}`
const ref = { orgId: 'org_a', id: 'cred_1' }

describe('Vault', () => {
  it('round-trips a value sealed under the current key', async () => {
    const vault = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const { keyId, sealed } = vault.seal(ref, secret)
    expect(keyId).toBe(vault.keyring.current.id)
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain(secret)
    expect(await vault.open({ ...ref, keyId, sealed })).toBe(secret)
    expect(await vault.open({ ...ref, keyId, sealed: vault.seal(ref, '').sealed })).toBe('')
  })

  it('uses a fresh IV for every value', () => {
    const vault = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const sealed = Array.from({ length: 50 }, () => vault.seal(ref, secret).sealed)
    expect(new Set(sealed.map((value) => value.split('.')[1])).size).toBe(50)
    expect(new Set(sealed).size).toBe(50)
  })

  it('rejects a tampered value without revealing it', async () => {
    const vault = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const { keyId, sealed } = vault.seal(ref, secret)
    const [version, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string]
    const flipped = Buffer.from(ciphertext, 'base64url')
    flipped[0] = (flipped[0] ?? 0) ^ 1
    const tampered = [
      [version, iv, tag, flipped.toString('base64url')].join('.'),
      [version, iv, Buffer.alloc(16).toString('base64url'), ciphertext].join('.'),
      [version, randomBytes(12).toString('base64url'), tag, ciphertext].join('.'),
      'v1.garbage',
      `v2.${iv}.${tag}.${ciphertext}`,
    ]
    for (const bad of tampered) {
      const error = await decryptError(vault.open({ ...ref, name: 'OPENAI_API_KEY', keyId, sealed: bad }))
      expect(error.message).toContain('"OPENAI_API_KEY" (cred_1)')
      expect(error.message).toContain(keyId)
      expect(error.message).not.toContain(secret)
      expect(error.details).toMatchObject({ credentialId: 'cred_1', keyId, reason: 'not-authentic' })
    }
  })

  it('binds a value to its organisation and credential id', async () => {
    const vault = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const { keyId, sealed } = vault.seal(ref, secret)
    await decryptError(vault.open({ orgId: 'org_b', id: ref.id, keyId, sealed }))
    await decryptError(vault.open({ orgId: ref.orgId, id: 'cred_2', keyId, sealed }))
    await decryptError(vault.open({ orgId: 'org_', id: 'acred_1', keyId, sealed }))
  })

  it('fails with the key id when no key of that id exists, even after reloading', async () => {
    const vault = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const other = new Vault({
      keyring: new Keyring([generateMasterKey()]),
      accounts: credentialTable(),
    })
    const { keyId, sealed } = other.seal(ref, secret)
    const error = await decryptError(vault.open({ ...ref, keyId, sealed }))
    expect(error.message).toContain(keyId)
    expect(error.message).toMatch(/does not have/)
    expect(error.details).toMatchObject({ reason: 'unknown-key' })
  })

  it('reloads the key file once when it meets an unknown key id', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-vault-'))
    try {
      const { keyring } = await loadKeyring({ env: {}, dataDir, logger: silentLogger })
      const vault = new Vault({ keyring, accounts: credentialTable() })
      // Another process adds a key and seals with it.
      const added = generateMasterKey()
      const path = masterKeyPath(dataDir)
      await writeKeyFile(path, [added, ...((await readKeyFile(path)) ?? [])])
      const elsewhere = new Vault({
        keyring: new Keyring([added]),
        accounts: credentialTable(),
      })
      const { keyId, sealed } = elsewhere.seal(ref, secret)
      expect(await vault.open({ ...ref, keyId, sealed })).toBe(secret)
      expect(vault.keyring.current.id).toBe(added.id)
    } finally {
      await rm(dataDir, { recursive: true, force: true })
    }
  })

  it('serves credentials by organisation and name', async () => {
    const table = credentialTable()
    const vault = new Vault({ keyring: new Keyring([generateMasterKey()]), accounts: table })
    const value = 'a-provider-key-without-a-known-shape'
    const sealedByOther = new Vault({ keyring: vault.keyring, accounts: table }).seal(ref, value)
    table.records.push(record({ ...ref, name: 'FAL_KEY', ...sealedByOther }))

    const lookup = vault.credentials()
    expect(await lookup.get('org_a', 'FAL_KEY')).toBe(value)
    expect(await lookup.get('org_b', 'FAL_KEY')).toBeUndefined()
    expect(await lookup.get('org_a', 'OPENAI_API_KEY')).toBeUndefined()
  })
})
