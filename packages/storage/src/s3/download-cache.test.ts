import { createHash } from 'node:crypto'
import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DownloadCache } from './download-cache.ts'

const kib = 1024

/** `size` bytes that hash differently for every `seed`. */
function blob(seed: number, size = 10 * kib): Uint8Array {
  return new Uint8Array(size).fill(seed)
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes
}

describe('download cache', () => {
  let dir: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchbay-cache-'))
  })

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** Writes `seeds` into the cache, the first the least recently used (an hour apart). */
  async function fill(cache: DownloadCache, seeds: number[]): Promise<string[]> {
    const keys: string[] = []
    for (const [index, seed] of seeds.entries()) {
      const written = await cache.write(chunks(blob(seed)))
      const usedAt = new Date(Date.now() - (seeds.length - index) * 3_600_000)
      await utimes(written.path, usedAt, usedAt)
      await cache.settled()
      keys.push(written.sha256)
    }
    return keys
  }

  const held = async () => (await readdir(dir)).filter((name) => /^[0-9a-f]{64}$/.test(name)).sort()

  it('deletes the least recently used copies once past its limit, down to three quarters of it', async () => {
    const cache = new DownloadCache(dir, { maxBytes: 40 * kib, keepRecentMs: 60_000 })
    const keys = await fill(cache, [1, 2, 3, 4])
    expect(await held()).toEqual([...keys].sort())
    // The oldest copy is used again, so the second oldest is now the least recently used.
    let fetched = 0
    await cache.path(keys[0]!, async () => {
      fetched++
      return chunks(blob(1))
    })
    expect(fetched).toBe(0)
    // A fifth copy takes the cache to 50 KiB: it prunes to 30 KiB, sparing what is recent.
    await cache.write(chunks(blob(5)))
    await cache.settled()
    expect(await held()).toEqual([keys[0]!, keys[3]!, sha256(blob(5))].sort())
  })

  it('fetches a deleted copy again, checked against its hash', async () => {
    const cache = new DownloadCache(dir, { maxBytes: 20 * kib, keepRecentMs: 0 })
    const [first] = await fill(cache, [1, 2, 3])
    expect(await held()).not.toContain(first)
    const path = await cache.path(first!, async () => chunks(blob(1)))
    expect(path).toBe(join(dir, first!))
    await expect(cache.path(sha256(blob(9)), async () => chunks(blob(8)))).rejects.toMatchObject({
      code: 'ASSET_CORRUPT',
    })
  })

  it('never deletes a copy used within keepRecentMs, even over its limit', async () => {
    const cache = new DownloadCache(dir, { maxBytes: 20 * kib, keepRecentMs: 60_000 })
    const written = []
    for (const seed of [1, 2, 3, 4]) written.push((await cache.write(chunks(blob(seed)))).sha256)
    await cache.settled()
    await cache.prune()
    expect(await held()).toEqual(written.sort())
  })

  it('learns what an earlier process left in the directory and keeps it within the limit', async () => {
    const keys = await fill(new DownloadCache(dir), [1, 2, 3, 4])
    const cache = new DownloadCache(dir, { maxBytes: 30 * kib, keepRecentMs: 60_000 })
    await cache.write(chunks(blob(5)))
    await cache.settled()
    expect(await held()).toEqual([keys[3]!, sha256(blob(5))].sort())
  })
})
