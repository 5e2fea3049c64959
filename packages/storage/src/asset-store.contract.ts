import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { NotFoundError, PatchbayError } from '@patchbay/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AssetStore } from './asset-store.ts'

/** One store under test and how to clean up after it. */
export interface AssetStoreHarness {
  store: AssetStore
  cleanup?: () => Promise<void>
}

/**
 * Registers the behaviour every {@link AssetStore} sibling must show. Call it from each
 * sibling's test file with a factory that makes a fresh, empty store.
 */
export function describeAssetStoreContract(name: string, setup: () => Promise<AssetStoreHarness>): void {
  describe(`AssetStore contract: ${name}`, () => {
    let harness: AssetStoreHarness
    let store: AssetStore

    beforeEach(async () => {
      harness = await setup()
      store = harness.store
    })
    afterEach(async () => {
      await harness.cleanup?.()
    })

    it('stores a Uint8Array under its sha256 and reads it back', async () => {
      const data = new TextEncoder().encode('hello, patchbay')
      const blob = await store.put(data)
      expect(blob).toEqual({ key: sha256(data), sha256: sha256(data), bytes: data.byteLength })
      expect(await store.read(blob.key)).toEqual(data)
      expect(await collect(store.stream(blob.key))).toEqual(data)
    })

    it('streams 5 MB given as an async iterable of 64 KB chunks', async () => {
      const data = patternBytes(5 * 1024 * 1024)
      const blob = await store.put(chunked(data, 64 * 1024))
      expect(blob.bytes).toBe(data.byteLength)
      expect(blob.sha256).toBe(sha256(data))
      const streamed = await collect(store.stream(blob.key))
      expect(streamed.byteLength).toBe(data.byteLength)
      expect(sha256(streamed)).toBe(blob.sha256)
    })

    it('stores an empty blob', async () => {
      const blob = await store.put(new Uint8Array(0))
      expect(blob.bytes).toBe(0)
      expect(blob.sha256).toBe(sha256(new Uint8Array(0)))
      expect((await store.read(blob.key)).byteLength).toBe(0)
      expect((await collect(store.stream(blob.key))).byteLength).toBe(0)
    })

    it('is idempotent, including for concurrent puts of the same bytes', async () => {
      const data = patternBytes(300_000)
      const first = await store.put(data)
      const again = await store.put(chunked(data, 10_000))
      const concurrent = await Promise.all(Array.from({ length: 8 }, () => store.put(chunked(data, 50_000))))
      for (const blob of [again, ...concurrent]) expect(blob).toEqual(first)
      expectBytes(await store.read(first.key), data)
    })

    it('does not keep a reference to the caller’s buffer', async () => {
      const data = new TextEncoder().encode('immutable')
      const blob = await store.put(data)
      data.fill(0)
      expect(new TextDecoder().decode(await store.read(blob.key))).toBe('immutable')
    })

    it('streams inclusive byte ranges, clipped to the blob', async () => {
      const data = patternBytes(200_000)
      const { key } = await store.put(data)
      expect(await collect(store.stream(key, { start: 0, end: 0 }))).toEqual(data.slice(0, 1))
      expect(await collect(store.stream(key, { start: 10, end: 19 }))).toEqual(data.slice(10, 20))
      expectBytes(await collect(store.stream(key, { start: 100_000 })), data.slice(100_000))
      expectBytes(await collect(store.stream(key, { start: 65_000, end: 140_000 })), data.slice(65_000, 140_001))
      expect(await collect(store.stream(key, { start: 199_990, end: 500_000 }))).toEqual(data.slice(199_990))
      expect((await collect(store.stream(key, { start: 200_000 }))).byteLength).toBe(0)
    })

    it('rejects malformed ranges', async () => {
      const { key } = await store.put(patternBytes(10))
      for (const range of [{ start: -1 }, { start: 5, end: 4 }, { start: 1.5 }]) {
        await expect(async () => collect(store.stream(key, range))).rejects.toThrow(RangeError)
      }
    })

    it('reports existence and deletes idempotently', async () => {
      const { key } = await store.put(patternBytes(1000))
      expect(await store.exists(key)).toBe(true)
      await store.delete(key)
      expect(await store.exists(key)).toBe(false)
      await store.delete(key)
      await expect(store.read(key)).rejects.toBeInstanceOf(NotFoundError)
    })

    it('throws NotFoundError for a missing key from read, stream and localPath', async () => {
      const missing = sha256(new TextEncoder().encode('never stored'))
      expect(await store.exists(missing)).toBe(false)
      await expect(store.read(missing)).rejects.toBeInstanceOf(NotFoundError)
      await expect(async () => collect(store.stream(missing))).rejects.toBeInstanceOf(NotFoundError)
      await expect(store.localPath(missing)).rejects.toBeInstanceOf(NotFoundError)
      await expect(store.read(missing)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('rejects keys that are not a lowercase sha256, so no key can escape the store', async () => {
      const valid = sha256(new Uint8Array([1]))
      const bad = ['', '../../etc/passwd', `${valid.slice(0, 62)}/x`, valid.toUpperCase(), `${valid}0`, `../${valid}`]
      for (const key of bad) {
        await expect(async () => store.read(key)).rejects.toMatchObject({ code: 'INVALID_ASSET_KEY' })
        await expect(async () => collect(store.stream(key))).rejects.toBeInstanceOf(PatchbayError)
        await expect(async () => store.exists(key)).rejects.toBeInstanceOf(PatchbayError)
        await expect(async () => store.delete(key)).rejects.toBeInstanceOf(PatchbayError)
        await expect(async () => store.localPath(key)).rejects.toBeInstanceOf(PatchbayError)
      }
    })

    it('gives a local file path holding the bytes', async () => {
      const data = patternBytes(123_456)
      const { key } = await store.put(data)
      const path = await store.localPath(key)
      expectBytes(await readFile(path), data)
      expect(await store.localPath(key)).toBe(path)
    })

    it('leaves nothing behind when the byte source fails', async () => {
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield patternBytes(1000)
        throw new Error('source broke')
      }
      await expect(store.put(failing())).rejects.toThrow('source broke')
      expect(await store.exists(sha256(patternBytes(1000)))).toBe(false)
    })
  })
}

/** Compares large byte arrays by length and hash; element-wise deep equality is slow at this size. */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.byteLength).toBe(expected.byteLength)
  expect(sha256(actual)).toBe(sha256(expected))
}

/** Reads a byte stream into one array. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) chunks.push(chunk)
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** Deterministic bytes that are not a repeating short pattern, so ranges and order errors show. */
export function patternBytes(size: number): Uint8Array {
  const out = new Uint8Array(size)
  let state = 0x9e3779b9
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    out[i] = state >>> 24
  }
  return out
}

/** Yields `data` in fresh chunks of `size` bytes, as a network or file stream would. */
export async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < data.byteLength; offset += size) yield data.slice(offset, offset + size)
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}
