import { randomUUID } from 'node:crypto'
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { ByteSource } from '@patchbay/core'
import { NotFoundError } from '@patchbay/core'
import { assertAssetKey } from '../asset-key.ts'
import type { AssetStore, StoredBlob } from '../asset-store.ts'
import { assertRange, chunksOf, clipRange, createDigest, writeAll } from '../bytes.ts'

const READ_CHUNK_BYTES = 64 * 1024

export interface LocalAssetStoreOptions {
  /** Directory holding the blobs; created on the first `put`. */
  root: string
  /**
   * Flushes each blob to disk before it becomes visible under its hash (default true), so a
   * crash cannot leave a truncated file under a name that claims other content.
   */
  fsync?: boolean
}

/**
 * An {@link AssetStore} on a local directory, laid out as `<root>/ab/cd/<sha256>`. Bytes are
 * written to `<root>/.tmp/` while they are hashed, then renamed into place, so a blob is
 * either complete or absent and concurrent puts of the same bytes are harmless.
 *
 * @example
 * const store = new LocalAssetStore({ root: './data/assets' })
 * const { key } = await store.put(bytes)
 */
export class LocalAssetStore implements AssetStore {
  readonly kind = 'local' as const
  readonly root: string
  readonly #fsync: boolean

  constructor(options: LocalAssetStoreOptions) {
    this.root = resolve(options.root)
    this.#fsync = options.fsync ?? true
  }

  async put(data: ByteSource): Promise<StoredBlob> {
    const tmpDir = join(this.root, '.tmp')
    await mkdir(tmpDir, { recursive: true })
    const tmp = join(tmpDir, `${randomUUID()}.part`)
    let placed = false
    try {
      const { sha256, bytes } = await this.#writeHashed(tmp, data)
      const target = this.#pathOf(sha256)
      await mkdir(dirname(target), { recursive: true })
      // The name is the hash of the content, so a file already there holds these very bytes.
      if (!(await isFile(target))) {
        try {
          await rename(tmp, target)
          placed = true
        } catch (error) {
          // A concurrent put of the same bytes may win the race on platforms that refuse to
          // rename over an existing file; its copy is as good as ours.
          if (!(await isFile(target))) throw error
        }
      }
      return { key: sha256, sha256, bytes }
    } finally {
      if (!placed) await rm(tmp, { force: true })
    }
  }

  async read(key: string): Promise<Uint8Array> {
    const path = this.#pathOf(key)
    try {
      const buffer = await readFile(path)
      return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    } catch (error) {
      throw notFoundOr(error, key)
    }
  }

  stream(key: string, range?: { start: number; end?: number }): AsyncIterable<Uint8Array> {
    const path = this.#pathOf(key)
    assertRange(range)
    return streamFile(path, key, range)
  }

  async exists(key: string): Promise<boolean> {
    return isFile(this.#pathOf(key))
  }

  async delete(key: string): Promise<void> {
    await rm(this.#pathOf(key), { force: true })
  }

  async localPath(key: string): Promise<string> {
    const path = this.#pathOf(key)
    if (!(await isFile(path))) throw new NotFoundError('asset', key)
    return path
  }

  /** The file that holds (or would hold) the blob `key`. */
  #pathOf(key: string): string {
    assertAssetKey(key)
    return join(this.root, key.slice(0, 2), key.slice(2, 4), key)
  }

  async #writeHashed(path: string, data: ByteSource): Promise<{ sha256: string; bytes: number }> {
    const digest = createDigest()
    const file = await open(path, 'wx')
    try {
      for await (const chunk of chunksOf(data)) {
        digest.update(chunk)
        await writeAll(file, chunk)
      }
      if (this.#fsync) await file.sync()
    } finally {
      await file.close()
    }
    return digest.finish()
  }
}

async function* streamFile(
  path: string,
  key: string,
  range: { start: number; end?: number } | undefined,
): AsyncGenerator<Uint8Array> {
  let file: FileHandle
  try {
    file = await open(path, 'r')
  } catch (error) {
    throw notFoundOr(error, key)
  }
  try {
    const [start, end] = clipRange(range, (await file.stat()).size)
    if (start >= end) return
    const reader = file.createReadStream({ start, end: end - 1, autoClose: false, highWaterMark: READ_CHUNK_BYTES })
    for await (const chunk of reader as AsyncIterable<Buffer>) {
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    }
  } finally {
    await file.close()
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

function notFoundOr(error: unknown, key: string): unknown {
  return isMissing(error) ? new NotFoundError('asset', key) : error
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR')
}
