import { randomBytes } from 'node:crypto'
import { link, readFile, unlink, writeFile } from 'node:fs/promises'
import { PatchbayError } from '@patchbay/core'
import type { Accounts, CredentialRecord } from '@patchbay/db'
import { isProcessAlive, type Logger, silentLogger } from '@patchbay/runtime'
import { openWith, sealWith } from './cipher.ts'
import {
  generateMasterKey,
  Keyring,
  MASTER_KEY_ENV,
  type MasterKey,
  masterKeyPath,
  parseMasterKeyList,
  readKeyFile,
  writeKeyFile,
} from './keyring.ts'

/** The store operations rotation uses. */
export type RotationAccounts = Pick<Accounts, 'listAllCredentials' | 'getCredential' | 'resealCredential'>

export interface RotationOptions {
  accounts: RotationAccounts
  /** Patchbay's data directory (the key file is `<dataDir>/master.key`). */
  dataDir: string
  env?: NodeJS.ProcessEnv
  logger?: Logger
}

export interface RotationResult {
  /** `file`: a new key was prepended to the key file; `env`: the first key of PATCHBAY_MASTER_KEY is used. */
  source: 'env' | 'file'
  /** Id of the key every credential is sealed with now. */
  keyId: string
  /** Re-encrypted under `keyId`. */
  resealed: number
  /** Changed or deleted by someone else meanwhile (their write wins). */
  skipped: number
  /** Already sealed with `keyId`. */
  alreadyCurrent: number
  /** Values that did not authenticate (altered in the database); left as they are. */
  failed: { orgId: string; id: string; name: string; keyId: string }[]
  /** The other keys, still kept so that processes holding them keep working. */
  oldKeyIds: string[]
}

/**
 * Re-encrypts every vault entry under a new master key. With keys in `<dataDir>/master.key`
 * it generates the new key and prepends it to the file (atomically) first; with
 * PATCHBAY_MASTER_KEY it uses the variable's first key, which the operator put there. Old
 * keys are kept, so running servers (which reload the file when they meet an unknown key id)
 * keep opening every value throughout. Safe to run again after an interruption.
 */
export async function rotateMasterKey(options: RotationOptions): Promise<RotationResult> {
  const logger = options.logger ?? silentLogger
  return await withKeys(options, async ({ source, keys, write }) => {
    const credentials = await options.accounts.listAllCredentials()
    assertKnownKeys(credentials, keys, source)
    let keyring: Keyring
    if (source === 'file') {
      const fresh = generateMasterKey()
      await write([fresh, ...keys])
      keyring = new Keyring([fresh, ...keys])
      logger.info(`added master key ${fresh.id} to ${masterKeyPath(options.dataDir)}`, { keyId: fresh.id })
    } else {
      keyring = new Keyring(keys)
    }
    const current = keyring.current
    const result: RotationResult = {
      source,
      keyId: current.id,
      resealed: 0,
      skipped: 0,
      alreadyCurrent: 0,
      failed: [],
      oldKeyIds: keyring.ids.slice(1),
    }
    for (const listed of credentials) {
      if (listed.keyId === current.id) {
        result.alreadyCurrent++
        continue
      }
      // Read again right before writing, so an update made while the rotation ran is not undone.
      const record = await options.accounts.getCredential(listed.orgId, listed.id)
      const key = record && record.keyId !== current.id ? keyring.get(record.keyId) : undefined
      if (!record || !key) {
        result.skipped++
        continue
      }
      const outcome = await reseal(options.accounts, record, key, current)
      if (outcome === 'failed') {
        result.failed.push({ orgId: record.orgId, id: record.id, name: record.name, keyId: record.keyId })
        const message = `credential "${record.name}" (${record.id}) does not decrypt under key ${record.keyId}; left as is`
        logger.error(message, { orgId: record.orgId, credentialId: record.id })
      } else {
        result[outcome]++
      }
    }
    logger.info('master key rotation finished', { ...result, failed: result.failed.length })
    return result
  })
}

async function reseal(
  accounts: RotationAccounts,
  record: CredentialRecord,
  key: MasterKey,
  current: MasterKey,
): Promise<'resealed' | 'skipped' | 'failed'> {
  let value: string
  try {
    value = openWith(key, record, record.sealed)
  } catch {
    return 'failed'
  }
  const { keyId, sealed } = sealWith(current, record, value)
  const replaced = await accounts.resealCredential({
    id: record.id,
    expectedKeyId: record.keyId,
    expectedSealed: record.sealed,
    keyId,
    sealed,
  })
  return replaced ? 'resealed' : 'skipped'
}

export interface PruneResult {
  source: 'env' | 'file'
  /** Keys still present, the current one first. */
  kept: string[]
  /** Keys removed from the key file (file mode). */
  removed: string[]
  /** Keys of PATCHBAY_MASTER_KEY (1-based positions) that no credential uses: remove them yourself (env mode). */
  unused: { position: number; keyId: string }[]
}

/**
 * Drops master keys that no credential is sealed with any more (the current key always
 * stays). Run it after a rotation once every server has restarted or reloaded, since a server
 * still holding only an old keyring may seal new values with an old key until then. With
 * PATCHBAY_MASTER_KEY it changes nothing and reports which of the variable's keys are unused.
 */
export async function pruneKeys(options: RotationOptions): Promise<PruneResult> {
  const logger = options.logger ?? silentLogger
  return await withKeys(options, async ({ source, keys, write }) => {
    const used = new Set((await options.accounts.listAllCredentials()).map((record) => record.keyId))
    const keep = keys.filter((key, index) => index === 0 || used.has(key.id))
    const drop = keys.filter((key, index) => index > 0 && !used.has(key.id))
    if (source === 'env') {
      const unused = keys.flatMap((key, index) =>
        index > 0 && !used.has(key.id) ? [{ position: index + 1, keyId: key.id }] : [],
      )
      return { source, kept: keys.map((key) => key.id), removed: [], unused }
    }
    if (drop.length > 0) {
      await write(keep)
      logger.info(`removed ${drop.length} unused master key(s) from ${masterKeyPath(options.dataDir)}`, {
        removed: drop.map((key) => key.id),
      })
    }
    return { source, kept: keep.map((key) => key.id), removed: drop.map((key) => key.id), unused: [] }
  })
}

interface KeySource {
  source: 'env' | 'file'
  keys: MasterKey[]
  /** Replaces the key file (file mode only). */
  write(keys: readonly MasterKey[]): Promise<void>
}

/** Runs `use` with the configured keys; in file mode under a lock so two rotations cannot lose a key. */
async function withKeys<T>(options: RotationOptions, use: (keys: KeySource) => Promise<T>): Promise<T> {
  const env = options.env ?? process.env
  const fromEnv = env[MASTER_KEY_ENV]?.trim()
  if (fromEnv) {
    return await use({
      source: 'env',
      keys: parseMasterKeyList(fromEnv),
      write: () => Promise.reject(new Error(`keys from ${MASTER_KEY_ENV} are not written`)),
    })
  }
  const path = masterKeyPath(options.dataDir)
  const missing = () =>
    new PatchbayError(
      'INVALID_CONFIG',
      `no master key: ${MASTER_KEY_ENV} is not set and ${path} does not exist. ` +
        `Run this with the server's PATCHBAY_DATA_DIR (or its ${MASTER_KEY_ENV}).`,
    )
  // Checked before locking too: the lock file cannot be created in a data directory that does not exist.
  if (!(await readKeyFile(path))) throw missing()
  const release = await lockKeyFile(path)
  try {
    const keys = await readKeyFile(path)
    if (!keys) throw missing()
    return await use({ source: 'file', keys, write: (next) => writeKeyFile(path, next) })
  } finally {
    await release()
  }
}

/** Refuses to rotate when some value is sealed with a key this process lacks: it is likely not the servers' keyring. */
function assertKnownKeys(credentials: CredentialRecord[], keys: MasterKey[], source: 'env' | 'file'): void {
  const known = new Set(keys.map((key) => key.id))
  const unknown = credentials.filter((record) => !known.has(record.keyId))
  if (unknown.length === 0) return
  const ids = [...new Set(unknown.map((record) => record.keyId))]
  throw new PatchbayError(
    'VAULT_KEY_MISSING',
    `${unknown.length} credential(s) are sealed with master key(s) ${ids.join(', ')}, which ` +
      `${source === 'env' ? MASTER_KEY_ENV : 'the key file'} does not hold; nothing was changed. ` +
      `Run this with the same ${MASTER_KEY_ENV} or PATCHBAY_DATA_DIR as the servers.`,
    { details: { keyIds: ids, credentials: unknown.map((record) => record.id) } },
  )
}

/** An exclusive lock next to the key file holding the owner's pid; a lock left by a dead process is taken over. */
async function lockKeyFile(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`
  for (let tries = 0; tries < 3; tries++) {
    // Written aside and linked into place, so the lock never exists without its owner's pid.
    const candidate = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}`
    await writeFile(candidate, String(process.pid), { mode: 0o600 })
    try {
      await link(candidate, lockPath)
      await unlink(candidate)
      return () => unlink(lockPath).catch(() => {})
    } catch (error) {
      await unlink(candidate).catch(() => {})
      if ((error as { code?: string }).code !== 'EEXIST') throw error
      const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10)
      if (Number.isInteger(owner) && isProcessAlive(owner)) {
        throw new PatchbayError(
          'KEY_FILE_LOCKED',
          `${path} is being changed by another process (pid ${owner}); try again when it has finished`,
        )
      }
      await unlink(lockPath).catch(() => {})
    }
  }
  throw new PatchbayError('KEY_FILE_LOCKED', `could not lock ${path}`)
}
