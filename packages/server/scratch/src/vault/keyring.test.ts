import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import type { Logger } from '@patchbay/runtime'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateMasterKey, loadKeyring, masterKeyId, masterKeyPath, readKeyFile, writeKeyFile } from './keyring.ts'

function recordingLogger() {
  const warnings: string[] = []
  const logger: Logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} }
  return { logger, warnings }
}

let dataDir: string
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'patchbay-keyring-'))
})
afterEach(() => rm(dataDir, { recursive: true, force: true }))

describe('PATCHBAY_MASTER_KEY', () => {
  it('takes comma-separated base64 and base64url keys; the first is current, all open', async () => {
    const [first, second] = [randomBytes(32), randomBytes(32)]
    const env = { PATCHBAY_MASTER_KEY: ` ${first.toString('base64')} , ${second.toString('base64url')},` }
    const { keyring, source, generated } = await loadKeyring({ env, dataDir, logger: recordingLogger().logger })
    expect(source).toBe('env')
    expect(generated).toBe(false)
    expect(keyring.current.id).toBe(masterKeyId(first))
    expect(keyring.current.key.equals(first)).toBe(true)
    expect(keyring.get(masterKeyId(second))?.key.equals(second)).toBe(true)
    expect(keyring.ids).toEqual([masterKeyId(first), masterKeyId(second)])
    await expect(stat(masterKeyPath(dataDir))).rejects.toThrow()
  })

  it('derives a stable 16-hex-character id', () => {
    const raw = Buffer.alloc(32, 7)
    expect(masterKeyId(raw)).toMatch(/^[0-9a-f]{16}$/)
    expect(masterKeyId(raw)).toBe(masterKeyId(Buffer.alloc(32, 7)))
    expect(masterKeyId(raw)).not.toBe(masterKeyId(Buffer.alloc(32, 8)))
  })

  it.each([
    ['too short', Buffer.alloc(16, 1).toString('base64'), /decodes to 16 bytes/],
    ['not base64', 'this is not a key!', /is not base64/],
  ])('rejects a key that is %s with INVALID_CONFIG and never echoes it', async (_, bad, message) => {
    const env = { PATCHBAY_MASTER_KEY: `${randomBytes(32).toString('base64')},${bad}` }
    const error = await loadKeyring({ env, dataDir, logger: recordingLogger().logger }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PatchbayError)
    expect((error as PatchbayError).code).toBe('INVALID_CONFIG')
    expect((error as Error).message).toMatch(/key 2 of PATCHBAY_MASTER_KEY/)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain(bad)
  })

  it('does not show key bytes when the keyring is logged', async () => {
    const raw = randomBytes(32)
    const { keyring } = await loadKeyring({
      env: { PATCHBAY_MASTER_KEY: raw.toString('base64') },
      dataDir,
      logger: recordingLogger().logger,
    })
    const shown = JSON.stringify({ keyring, key: keyring.current })
    expect(shown).toContain(keyring.current.id)
    expect(shown).not.toContain(raw.toString('base64'))
    expect(shown).not.toContain(raw.toString('hex'))
  })
})

describe('master.key', () => {
  it('is generated with mode 0600 and a warning when no key exists, then reused', async () => {
    const nested = join(dataDir, 'not-yet-created')
    const { logger, warnings } = recordingLogger()
    const first = await loadKeyring({ env: {}, dataDir: nested, logger })
    expect(first.source).toBe('file')
    expect(first.generated).toBe(true)
    const path = masterKeyPath(nested)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(path)
    expect(warnings[0]).toMatch(/back.*up/)
    expect(warnings[0]).toContain('PATCHBAY_MASTER_KEY')

    const again = await loadKeyring({ env: {}, dataDir: nested, logger })
    expect(again.generated).toBe(false)
    expect(again.keyring.current.id).toBe(first.keyring.current.id)
    expect(warnings).toHaveLength(1)
  })

  it('reads one key per line, skipping comments and blank lines', async () => {
    const [a, b] = [generateMasterKey(), generateMasterKey()]
    await writeFile(
      masterKeyPath(dataDir),
      `# comment\n\n${a.key.toString('base64')}\n${b.key.toString('base64url')}\n`,
      {
        mode: 0o600,
      },
    )
    const { keyring } = await loadKeyring({ env: {}, dataDir, logger: recordingLogger().logger })
    expect(keyring.ids).toEqual([a.id, b.id])
  })

  it('names the line of a bad key', async () => {
    await writeFile(masterKeyPath(dataDir), `${generateMasterKey().key.toString('base64')}\nnot a key!\n`, {
      mode: 0o600,
    })
    await expect(loadKeyring({ env: {}, dataDir, logger: recordingLogger().logger })).rejects.toThrow(
      /line 2 of .*master\.key is not base64/,
    )
  })

  it('warns when the file is readable by others', async () => {
    await writeFile(masterKeyPath(dataDir), generateMasterKey().key.toString('base64'), { mode: 0o644 })
    const { logger, warnings } = recordingLogger()
    await loadKeyring({ env: {}, dataDir, logger })
    expect(warnings.join('\n')).toMatch(/chmod 600/)
  })

  it('is replaced atomically with mode 0600 by writeKeyFile', async () => {
    const keys = [generateMasterKey(), generateMasterKey()]
    const path = masterKeyPath(dataDir)
    await writeKeyFile(path, keys)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await readKeyFile(path))?.map((key) => key.id)).toEqual(keys.map((key) => key.id))
    expect(await readFile(path, 'utf8')).toMatch(/^# Patchbay master keys/)
  })
})

describe('reload', () => {
  it('picks up a key prepended to the file, makes it current and keeps the old ones', async () => {
    const { keyring } = await loadKeyring({ env: {}, dataDir, logger: recordingLogger().logger })
    const old = keyring.current
    const added = generateMasterKey()
    await writeKeyFile(masterKeyPath(dataDir), [added])
    expect(keyring.get(added.id)).toBeUndefined()
    expect(await keyring.reload()).toBe(true)
    expect(keyring.current.id).toBe(added.id)
    expect(keyring.get(old.id)?.key.equals(old.key)).toBe(true)
    expect(await keyring.reload()).toBe(false)
  })

  it('shares one read between concurrent callers and survives a broken file', async () => {
    const { keyring } = await loadKeyring({ env: {}, dataDir, logger: recordingLogger().logger })
    const before = keyring.ids
    await writeFile(masterKeyPath(dataDir), 'garbage\n')
    const [a, b] = [keyring.reload(), keyring.reload()]
    expect(a).toBe(b)
    expect(await a).toBe(false)
    expect(keyring.ids).toEqual(before)
  })
})
