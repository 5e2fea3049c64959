import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ByteSource } from '@patchbay/core'
import { NotFoundError } from '@patchbay/core'
import { assertAssetKey } from '../asset-key.ts'
import type { AssetStore, StoredBlob } from '../asset-store.ts'
import { assertRange, chunksOf, clipRange, concat, createDigest } from '../bytes.ts'

const STREAM_CHUNK_BYTES = 64 * 1024

/**
 * An {@link AssetStore} held in memory, for tests and throwaway engines. `localPath` writes a
 * blob to a private temporary directory the first time it is asked for; {@link dispose}
 * removes that directory.
 */
export class MemoryAssetStore implements AssetStore {
  readonly kind = 'memory' as const
  readonly #blobs = new Map<string, Uint8Array>()
  readonly #files = new Map<string, Promise<string>>()
  #dir: Promise<string> | undefined

  async put(data: ByteSource): Promise<StoredBlob> {
    const digest = createDigest()
    const chunks: Uint8Array[] = []
    for await (const chunk of chunksOf(data)) {
      digest.update(chunk)
      // Copied because producers may reuse their buffer for the next chunk.
      chunks.push(chunk.slice())
    }
    const { sha256, bytes } = digest.finish()
    if (!this.#blobs.has(sha256)) this.#blobs.set(sha256, concat(chunks, bytes))
    return { key: sha256, sha256, bytes }
  }

  async read(key: string): Promise<Uint8Array> {
    return this.#get(key).slice()
  }

  stream(key: string, range?: { start: number; end?: number }): AsyncIterable<Uint8Array> {
    assertAssetKey(key)
    assertRange(range)
    return this.#stream(key, range)
  }

  async exists(key: string): Promise<boolean> {
    assertAssetKey(key)
    return this.#blobs.has(key)
  }

  async delete(key: string): Promise<void> {
    assertAssetKey(key)
    this.#blobs.delete(key)
    const file = this.#files.get(key)
    this.#files.delete(key)
    const path = await file?.catch(() => undefined)
    if (path) await rm(path, { force: true })
  }

  async localPath(key: string): Promise<string> {
    const blob = this.#get(key)
    let file = this.#files.get(key)
    if (!file) {
      file = this.#writeTemp(key, blob)
      this.#files.set(key, file)
      file.catch(() => this.#files.delete(key))
    }
    return file
  }

  /** Removes the temporary files made by {@link localPath}. The blobs stay readable. */
  async dispose(): Promise<void> {
    const dir = this.#dir
    this.#dir = undefined
    this.#files.clear()
    if (dir) await rm(await dir, { recursive: true, force: true })
  }

  async *#stream(key: string, range: { start: number; end?: number } | undefined): AsyncGenerator<Uint8Array> {
    const blob = this.#get(key)
    const [start, end] = clipRange(range, blob.byteLength)
    for (let offset = start; offset < end; offset += STREAM_CHUNK_BYTES) {
      yield blob.slice(offset, Math.min(offset + STREAM_CHUNK_BYTES, end))
    }
  }

  #get(key: string): Uint8Array {
    assertAssetKey(key)
    const blob = this.#blobs.get(key)
    if (!blob) throw new NotFoundError('asset', key)
    return blob
  }

  async #writeTemp(key: string, blob: Uint8Array): Promise<string> {
    this.#dir ??= mkdtemp(join(tmpdir(), 'patchbay-memory-assets-'))
    const path = join(await this.#dir, key)
    await writeFile(path, blob)
    return path
  }
}
