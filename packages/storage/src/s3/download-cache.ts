import { randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { PatchbayError } from '@patchbay/core'
import { createDigest } from '../bytes.ts'

/**
 * Local copies of remote blobs, as `<dir>/<sha256>`, for tools that need a file (ffmpeg,
 * sharp). A copy is written to `<dir>/.tmp/` while it is hashed and renamed into place only
 * when its hash is its name, so a file in the cache is always complete and correct. Nothing
 * is evicted: the directory can be emptied at any time (a blob is fetched again when asked).
 */
export class DownloadCache {
  readonly dir: string
  readonly #pending = new Map<string, Promise<string>>()

  constructor(dir: string) {
    this.dir = resolve(dir)
  }

  /** The cached file of `sha256` (a checked asset key), fetching it once with `download` when absent. */
  async path(sha256: string, download: () => Promise<AsyncIterable<Uint8Array>>): Promise<string> {
    const path = join(this.dir, sha256)
    if (await isFile(path)) return path
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
      if (!(await isFile(path))) {
        await rename(tmp, path)
        placed = true
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
}

async function writeAll(file: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await file.write(chunk, offset)
    offset += bytesWritten
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false
    throw error
  }
}
