import { randomUUID } from 'node:crypto'
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import { createDigest, writeAll } from '../bytes.ts'

export interface DownloadCacheOptions {
  /** Past this many bytes the least recently used copies are deleted, down to three quarters of it. */
  maxBytes?: number
  /**
   * A copy used this recently is never deleted, whatever the size: a node may have been handed
   * its path and not opened it yet. Default 10 minutes.
   */
  keepRecentMs?: number
}

const cachedName = /^[0-9a-f]{64}$/

/**
 * Local copies of remote blobs, as `<dir>/<sha256>`, for tools that need a file (ffmpeg,
 * sharp). A copy is written to `<dir>/.tmp/` while it is hashed and renamed into place only
 * when its hash is its name, so a file in the cache is always complete and correct. A copy's
 * mtime is its last use; past `maxBytes` the least recently used ones are deleted (a blob is
 * fetched again when asked), and the directory can be emptied by hand at any time.
 */
export class DownloadCache {
  readonly dir: string
  readonly #pending = new Map<string, Promise<string>>()
  readonly #maxBytes: number
  readonly #keepRecentMs: number
  /** What the cache holds, as far as this process knows; undefined until its first scan. */
  #bytes: number | undefined
  #pruning: Promise<void> | undefined

  constructor(dir: string, options: DownloadCacheOptions = {}) {
    this.dir = resolve(dir)
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
    this.#keepRecentMs = options.keepRecentMs ?? 10 * 60_000
  }

  /** The cached file of `sha256` (a checked asset key), fetching it once with `download` when absent. */
  async path(sha256: string, download: () => Promise<AsyncIterable<Uint8Array>>): Promise<string> {
    const path = join(this.dir, sha256)
    if (await touch(path)) return path
    let pending = this.#pending.get(sha256)
    if (!pending) {
      pending = (async () => {
        const written = await this.write(await download())
        if (written.sha256 !== sha256) {
          await rm(written.path, { force: true })
          throw new PatchbayError('ASSET_CORRUPT', `the stored bytes of asset ${sha256} hash to ${written.sha256}`)
        }
        return written.path
      })()
      this.#pending.set(sha256, pending)
      void pending.then(
        () => this.#pending.delete(sha256),
        () => this.#pending.delete(sha256),
      )
    }
    return pending
  }

  /**
   * Writes `chunks` into the cache under their hash (a file already there is kept), calling
   * `each` with every chunk first (it may throw to stop). Returns where the bytes now are.
   */
  async write(
    chunks: AsyncIterable<Uint8Array>,
    each?: (chunk: Uint8Array) => Promise<void> | void,
  ): Promise<{ path: string; sha256: string; bytes: number }> {
    const tmpDir = join(this.dir, '.tmp')
    await mkdir(tmpDir, { recursive: true })
    const tmp = join(tmpDir, `${randomUUID()}.part`)
    const digest = createDigest()
    let placed = false
    try {
      const file = await open(tmp, 'wx')
      try {
        for await (const chunk of chunks) {
          await each?.(chunk)
          digest.update(chunk)
          await writeAll(file, chunk)
        }
      } finally {
        await file.close()
      }
      const { sha256, bytes } = digest.finish()
      const path = join(this.dir, sha256)
      if (!(await touch(path))) {
        await rename(tmp, path)
        placed = true
        this.#added(bytes)
      }
      return { path, sha256, bytes }
    } finally {
      if (!placed) await rm(tmp, { force: true })
    }
  }

  /** Drops the cached copy of `sha256`, if any. */
  async forget(sha256: string): Promise<void> {
    await rm(join(this.dir, sha256), { force: true })
  }

  /**
   * Deletes the least recently used copies until the cache holds at most three quarters of
   * `maxBytes`, sparing those used within `keepRecentMs`. Runs by itself after a write that
   * goes over the limit; other processes sharing the directory are seen through its files.
   */
  async prune(): Promise<void> {
    const copies = await this.#copies()
    let total = copies.reduce((sum, copy) => sum + copy.size, 0)
    const target = this.#maxBytes * 0.75
    const spareFrom = Date.now() - this.#keepRecentMs
    for (const copy of copies.sort((a, b) => a.usedAt - b.usedAt)) {
      if (total <= target || copy.usedAt > spareFrom) break
      // Used since the scan: spared (it would be sorted among the newest now).
      const now = await stat(copy.path).catch(() => undefined)
      if (now && now.mtimeMs > spareFrom) continue
      await rm(copy.path, { force: true })
      total -= copy.size
    }
    this.#bytes = total
  }

  /** Resolves when a prune started by a write has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#pruning
  }

  #added(bytes: number): void {
    if (this.#maxBytes === Number.POSITIVE_INFINITY) return
    if (this.#bytes !== undefined) this.#bytes += bytes
    if (this.#pruning || (this.#bytes !== undefined && this.#bytes <= this.#maxBytes)) return
    // The first write of a process scans the directory to learn its size (and prunes if need be).
    this.#pruning = this.prune()
      .catch(() => {})
      .finally(() => {
        this.#pruning = undefined
      })
  }

  async #copies(): Promise<{ path: string; size: number; usedAt: number }[]> {
    const names = await readdir(this.dir).catch(() => [] as string[])
    const copies = await Promise.all(
      names
        .filter((name) => cachedName.test(name))
        .map(async (name) => {
          const path = join(this.dir, name)
          const info = await stat(path).catch(() => undefined)
          return info?.isFile() ? { path, size: info.size, usedAt: info.mtimeMs } : undefined
        }),
    )
    return copies.filter((copy) => copy !== undefined)
  }
}

/** Marks a cached copy as just used (so that a prune spares it); false when there is none. */
async function touch(path: string): Promise<boolean> {
  const now = new Date()
  try {
    await utimes(path, now, now)
    return true
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false
    throw error
  }
}
