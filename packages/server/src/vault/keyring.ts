import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import type { Logger } from '@patchbay/runtime'

/** Bytes of a master key (AES-256). */
export const MASTER_KEY_BYTES = 32
/** The environment variable holding master keys, comma-separated, the current one first. */
export const MASTER_KEY_ENV = 'PATCHBAY_MASTER_KEY'

/**
 * A master key and its public id. The raw bytes are a non-enumerable property, so logging or
 * serialising a key (or a keyring) shows the id only.
 */
export interface MasterKey {
  readonly id: string
  readonly key: Buffer
}

/** Where the master keys live when PATCHBAY_MASTER_KEY is not set. */
export function masterKeyPath(dataDir: string): string {
  return join(dataDir, 'master.key')
}

/** The first 16 hex characters of sha256('patchbay-master-key\0' + key): safe to store and show. */
export function masterKeyId(raw: Uint8Array): string {
  return createHash('sha256').update('patchbay-master-key\0').update(raw).digest('hex').slice(0, 16)
}

/** Wraps raw key bytes (32 of them) as a {@link MasterKey}. */
export function masterKey(raw: Uint8Array): MasterKey {
  if (raw.length !== MASTER_KEY_BYTES) throw new Error(`a master key has ${MASTER_KEY_BYTES} bytes, not ${raw.length}`)
  const key = Buffer.from(raw)
  const id = masterKeyId(key)
  return Object.freeze(
    Object.defineProperties({} as MasterKey, {
      id: { value: id, enumerable: true },
      key: { value: key, enumerable: false },
    }),
  )
}

/** A fresh random master key. */
export function generateMasterKey(): MasterKey {
  return masterKey(randomBytes(MASTER_KEY_BYTES))
}

/** The master keys of a process: the current one seals, every one opens. */
export class Keyring {
  private keys: readonly MasterKey[]
  private byId: Map<string, MasterKey>
  private readonly loader: (() => Promise<readonly MasterKey[]>) | undefined
  private reloading: Promise<boolean> | undefined

  /**
   * @param keys current key first
   * @param options.reload reads the keys again (the key file), for {@link Keyring.reload}
   */
  constructor(keys: readonly MasterKey[], options: { reload?: () => Promise<readonly MasterKey[]> } = {}) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key')
    this.keys = dedupe(keys)
    this.byId = new Map(this.keys.map((key) => [key.id, key]))
    this.loader = options.reload
  }

  /** The key that seals new values. */
  get current(): MasterKey {
    return this.keys[0] as MasterKey
  }

  /** Ids of every key, the current one first. */
  get ids(): string[] {
    return this.keys.map((key) => key.id)
  }

  get(id: string): MasterKey | undefined {
    return this.byId.get(id)
  }

  /**
   * Reads the keys again (after a rotation prepended one to the key file) and makes the new
   * first key current. Keys it knew stay known, so nothing it could open becomes unreadable.
   * Concurrent calls share one read. Resolves true when it learnt a key it did not have; a
   * read that fails keeps the keys as they are and resolves false.
   */
  reload(): Promise<boolean> {
    const loader = this.loader
    if (!loader) return Promise.resolve(false)
    this.reloading ??= (async () => {
      try {
        const fresh = await loader()
        if (fresh.length === 0) return false
        const learnt = fresh.some((key) => !this.byId.has(key.id))
        this.keys = dedupe([...fresh, ...this.keys])
        this.byId = new Map(this.keys.map((key) => [key.id, key]))
        return learnt
      } catch {
        return false
      } finally {
        this.reloading = undefined
      }
    })()
    return this.reloading
  }

  toJSON(): { current: string; ids: string[] } {
    return { current: this.current.id, ids: this.ids }
  }
}

function dedupe(keys: readonly MasterKey[]): MasterKey[] {
  const seen = new Set<string>()
  return keys.filter((key) => !seen.has(key.id) && seen.add(key.id))
}

const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/

/** Decodes one base64 or base64url key; `where` names it in the error (never the key itself). */
export function parseMasterKey(text: string, where: string): MasterKey {
  const trimmed = text.trim()
  const raw = base64Pattern.test(trimmed) ? Buffer.from(trimmed, 'base64') : undefined
  if (raw?.length !== MASTER_KEY_BYTES) {
    const problem = raw ? `decodes to ${raw.length} bytes` : 'is not base64'
    throw new PatchbayError(
      'INVALID_CONFIG',
      `${where} ${problem}; a master key is ${MASTER_KEY_BYTES} random bytes in base64 or base64url ` +
        '(create one with `openssl rand -base64 32`)',
    )
  }
  return masterKey(raw)
}

/** Parses PATCHBAY_MASTER_KEY: comma-separated keys, the current one first. */
export function parseMasterKeyList(text: string): MasterKey[] {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0)
  if (items.length === 0) throw new PatchbayError('INVALID_CONFIG', `${MASTER_KEY_ENV} is set but holds no key`)
  return items.map((item, index) =>
    parseMasterKey(item, items.length === 1 ? MASTER_KEY_ENV : `key ${index + 1} of ${MASTER_KEY_ENV}`),
  )
}

/**
 * Reads a key file: one base64 key per line, the current one first; blank lines and lines
 * starting with `#` are ignored. `undefined` when the file does not exist.
 */
export async function readKeyFile(path: string): Promise<MasterKey[] | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined
    throw error
  }
  const keys: MasterKey[] = []
  for (const [index, line] of text.split('\n').entries()) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    keys.push(parseMasterKey(trimmed, `line ${index + 1} of ${path}`))
  }
  if (keys.length === 0) throw new PatchbayError('INVALID_CONFIG', `${path} holds no master key`)
  return keys
}

const fileHeader =
  '# Patchbay master keys, one per line: the first seals new values, every one opens.\n' +
  '# Back this file up: without it the credentials in the vault cannot be decrypted.\n'

/**
 * Replaces the key file atomically (a temporary file renamed over it), readable by its owner
 * only, so a server reloading it meanwhile reads either the old or the new list.
 */
export async function writeKeyFile(path: string, keys: readonly MasterKey[]): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const body = keys.map((key) => key.key.toString('base64')).join('\n')
  try {
    await writeFile(temporary, `${fileHeader}${body}\n`, { mode: 0o600, flag: 'wx' })
    await chmod(temporary, 0o600)
    await rename(temporary, path)
  } catch (error) {
    await unlink(temporary).catch(() => {})
    throw error
  }
}

export interface LoadedKeyring {
  keyring: Keyring
  /** `env`: PATCHBAY_MASTER_KEY; `file`: `<dataDir>/master.key`. */
  source: 'env' | 'file'
  /** True when no key existed and this call created the key file. */
  generated: boolean
}

/**
 * Loads the master keys: from PATCHBAY_MASTER_KEY when set, else from `<dataDir>/master.key`,
 * which is created with a fresh key (and a warning) when missing.
 *
 * @example
 * const { keyring } = await loadKeyring({ env: process.env, dataDir: config.dataDir, logger })
 */
export async function loadKeyring(options: {
  env?: NodeJS.ProcessEnv
  dataDir: string
  logger: Logger
}): Promise<LoadedKeyring> {
  const env = options.env ?? process.env
  const fromEnv = env[MASTER_KEY_ENV]?.trim()
  if (fromEnv) {
    const keyring = new Keyring(parseMasterKeyList(fromEnv), {
      reload: async () => parseMasterKeyList(env[MASTER_KEY_ENV] ?? ''),
    })
    return { keyring, source: 'env', generated: false }
  }
  const path = masterKeyPath(options.dataDir)
  let keys = await readKeyFile(path)
  let generated = false
  if (!keys) {
    generated = await createKeyFile(path)
    keys = (await readKeyFile(path)) ?? []
    if (generated) {
      options.logger.warn(
        `generated a new master key in ${path}: back this file up (without it the vault's credentials are lost) ` +
          `or, in production, set ${MASTER_KEY_ENV} instead`,
        { path, keyId: keys[0]?.id },
      )
    }
  }
  await warnIfShared(path, options.logger)
  const keyring = new Keyring(keys, { reload: async () => (await readKeyFile(path)) ?? [] })
  return { keyring, source: 'file', generated }
}

/** Creates the key file with one fresh key; false when another process created it first. */
async function createKeyFile(path: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true })
  const key = generateMasterKey()
  try {
    await writeFile(path, `${fileHeader}${key.key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    return true
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false
    throw error
  }
}

async function warnIfShared(path: string, logger: Logger): Promise<void> {
  if (process.platform === 'win32') return
  const { mode } = await stat(path)
  if ((mode & 0o077) !== 0) {
    logger.warn(`${path} is readable by other users; restrict it with chmod 600`, {
      path,
      mode: (mode & 0o777).toString(8),
    })
  }
}
