import { link, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { PatchbayError } from '@patchbay/core'

export interface DataDirLock {
  release(): Promise<void>
}

/**
 * PGlite is an embedded, single-process database: two processes opening one data
 * directory would corrupt it. A lock file holding the owner's pid keeps the second one out
 * with a clear message; a lock left by a process that died (even by SIGKILL) is taken over.
 */
export async function lockDataDir(dataDir: string, purpose: string): Promise<DataDirLock> {
  const path = join(dataDir, 'patchbay.lock')
  for (let tries = 0; tries < 3; tries++) {
    // Written aside and linked into place, so the lock never exists without its owner's pid.
    const candidate = `${path}.${process.pid}`
    await writeFile(candidate, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }))
    try {
      await link(candidate, path)
      await unlink(candidate)
      return {
        async release() {
          await unlink(path).catch(() => {})
        },
      }
    } catch (error) {
      await unlink(candidate).catch(() => {})
      if ((error as { code?: string }).code !== 'EEXIST') throw error
      const owner = await readOwner(path)
      if (owner && owner.pid !== process.pid && isProcessAlive(owner.pid)) {
        throw new PatchbayError(
          'DATA_DIR_LOCKED',
          `${dataDir} is in use by another Patchbay process (pid ${owner.pid}, ${owner.purpose}). ` +
            'Stop it first, set PATCHBAY_DATA_DIR to another directory, or share a PostgreSQL database through DATABASE_URL.',
        )
      }
      await unlink(path).catch(() => {})
    }
  }
  throw new PatchbayError('DATA_DIR_LOCKED', `could not lock ${dataDir}`)
}

async function readOwner(path: string): Promise<{ pid: number; purpose: string } | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; purpose?: unknown }
    return typeof parsed.pid === 'number'
      ? { pid: parsed.pid, purpose: String(parsed.purpose ?? 'unknown') }
      : undefined
  } catch {
    return undefined
  }
}

/** Whether a process with this pid exists (EPERM: it does, but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'
  }
}
