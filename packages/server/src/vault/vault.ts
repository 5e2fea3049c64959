import { PatchbayError } from '@patchbay/core'
import type { Accounts, CredentialRecord } from '@patchbay/db'
import type { CredentialLookup } from '@patchbay/providers'
import { openWith, type SealedValue, sealWith, type VaultEntryRef } from './cipher.ts'
import type { Keyring } from './keyring.ts'

/** What {@link Vault.open} needs of a stored credential (`name` only makes errors clearer). */
export type SealedRecord = Pick<CredentialRecord, 'id' | 'orgId' | 'keyId' | 'sealed'> & { name?: string }

/**
 * Encrypts provider keys for the store and decrypts them for the nodes that call providers.
 * Values are sealed with AES-256-GCM under the keyring's current master key, bound to their
 * organisation and credential id. Opened values are not given to the process's log redactor
 * (which holds only the operator's secrets): `nodeCredentials` records them in the node
 * attempt's secret scope, which scrubs them from that attempt's errors, events and log lines.
 *
 * @example
 * const vault = new Vault({ keyring, accounts })
 * const { keyId, sealed } = vault.seal({ orgId, id }, 'sk-…')
 * await accounts.createCredential({ id, orgId, name: 'OPENAI_API_KEY', keyId, sealed, … })
 * const credentials = chainCredentials(vault.credentials(), envCredentials())
 */
export class Vault {
  readonly keyring: Keyring
  private readonly accounts: Pick<Accounts, 'getCredentialByName'>

  constructor(options: { keyring: Keyring; accounts: Pick<Accounts, 'getCredentialByName'> }) {
    this.keyring = options.keyring
    this.accounts = options.accounts
  }

  /** Seals `value` for the credential `ref` under the current master key. */
  seal(ref: VaultEntryRef, value: string): SealedValue {
    return sealWith(this.keyring.current, ref, value)
  }

  /**
   * Decrypts a stored credential. A key id it does not know makes it reload the keyring once
   * (a rotation elsewhere may have added the key). Throws `VAULT_DECRYPT_FAILED` when the key
   * is missing or the value does not authenticate (altered, or copied from another row).
   */
  async open(record: SealedRecord): Promise<string> {
    let key = this.keyring.get(record.keyId)
    if (!key) {
      await this.keyring.reload()
      key = this.keyring.get(record.keyId)
    }
    if (!key) {
      throw decryptFailed(
        record,
        `it was sealed with master key ${record.keyId}, which this process does not have ` +
          '(check PATCHBAY_MASTER_KEY or the master.key file in the data directory)',
        'unknown-key',
      )
    }
    let value: string
    try {
      value = openWith(key, record, record.sealed)
    } catch {
      throw decryptFailed(
        record,
        `the value does not authenticate under master key ${record.keyId} (it was altered or belongs to another credential)`,
        'not-authentic',
      )
    }
    return value
  }

  /** Looks credentials up in the organisation's vault entries, for the model gateway and nodes. */
  credentials(): CredentialLookup {
    return {
      get: async (orgId, name) => {
        const record = await this.accounts.getCredentialByName(orgId, name)
        return record ? await this.open(record) : undefined
      },
    }
  }
}

function decryptFailed(record: SealedRecord, reason: string, kind: 'unknown-key' | 'not-authentic'): PatchbayError {
  const what = record.name ? `"${record.name}" (${record.id})` : record.id
  return new PatchbayError('VAULT_DECRYPT_FAILED', `cannot decrypt credential ${what}: ${reason}`, {
    details: { credentialId: record.id, orgId: record.orgId, keyId: record.keyId, reason: kind },
  })
}
