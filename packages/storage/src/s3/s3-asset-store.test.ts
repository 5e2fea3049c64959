import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { NotFoundError } from '@patchbay/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  chunked,
  collect,
  describeAssetStoreContract,
  expectBytes,
  patternBytes,
  sha256,
} from '../asset-store.contract.ts'
import { canPresign } from '../presigning.ts'
import { startS3ForTests } from '../testing/s3-for-tests.ts'
import { S3AssetStore } from './s3-asset-store.ts'

const s3 = await startS3ForTests('S3AssetStore on s3rver')

afterAll(async () => {
  await s3?.close()
})

describe.skipIf(!s3)('S3AssetStore on s3rver', () => {
  const server = s3!

  describeAssetStoreContract('s3', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'patchbay-s3-cache-'))
    const store = new S3AssetStore(server.storeOptions(cacheDir))
    return {
      store,
      cleanup: async () => {
        await store.close()
        await rm(cacheDir, { recursive: true, force: true })
      },
    }
  })

  let cacheDir: string
  let prefix: string
  let store: S3AssetStore
  let client: S3Client
  beforeAll(() => {
    client = new S3Client({
      region: server.region,
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    })
  })
  afterAll(() => client?.destroy())
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'patchbay-s3-cache-'))
    prefix = `specific-${Math.random().toString(36).slice(2)}/`
    store = new S3AssetStore(server.storeOptions(cacheDir, prefix))
  })
  afterEach(async () => {
    await store.close()
    await rm(cacheDir, { recursive: true, force: true })
  })

  /** Every object name under the store's prefix. */
  async function objectNames(): Promise<string[]> {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: prefix }))
    return (listed.Contents ?? []).map((object) => object.Key!.slice(prefix.length)).sort()
  }

  it('lays objects out like the local store, under the prefix: ab/cd/<sha256>', async () => {
    const { key } = await store.put(patternBytes(4096))
    expect(await objectNames()).toEqual([`${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`])
    expect(store.kind).toBe('s3')
    expect(canPresign(store)).toBe(true)
  })

  it('puts 12 MB as a multipart upload through a temporary object it then removes', async () => {
    const data = patternBytes(12 * 1024 * 1024)
    const blob = await store.put(chunked(data, 256 * 1024))
    expect(blob).toEqual({ key: sha256(data), sha256: sha256(data), bytes: data.byteLength })
    expect(await objectNames()).toEqual([`${blob.key.slice(0, 2)}/${blob.key.slice(2, 4)}/${blob.key}`])
    expectBytes(await store.read(blob.key), data)
    // Again, concurrently: the content key exists, so nothing is copied and no temporary object stays.
    const again = await Promise.all([store.put(chunked(data, 1024 * 1024)), store.put(chunked(data, 3_000_000))])
    expect(again).toEqual([blob, blob])
    expect(await objectNames()).toHaveLength(1)
  }, 60_000)

  it('leaves no temporary object when a large byte source fails part-way', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunked(patternBytes(9 * 1024 * 1024), 512 * 1024)
      throw new Error('source broke late')
    }
    await expect(store.put(failing())).rejects.toThrow('source broke late')
    expect(await objectNames()).toEqual([])
  }, 60_000)

  it('reads ranges with ranged GETs, up to and past the last byte', async () => {
    const data = patternBytes(1000)
    const { key } = await store.put(data)
    expect(await collect(store.stream(key, { start: 999 }))).toEqual(data.slice(999))
    expect(await collect(store.stream(key, { start: 998, end: 2000 }))).toEqual(data.slice(998))
    expect((await collect(store.stream(key, { start: 1000, end: 1005 }))).byteLength).toBe(0)
    const missing = sha256(new TextEncoder().encode('missing'))
    await expect(collect(store.stream(missing, { start: 5 }))).rejects.toBeInstanceOf(NotFoundError)
  })

  it('downloads a blob to the cache once, as <cacheDir>/<sha256>, and forgets it on delete', async () => {
    const data = patternBytes(100_000)
    const { key } = await store.put(data)
    const [first, second] = await Promise.all([store.localPath(key), store.localPath(key)])
    expect(first).toBe(join(cacheDir, key))
    expect(second).toBe(first)
    expectBytes(await readFile(first), data)
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([])
    // Asked again: the same file (not downloaded anew), marked as just used.
    const { ino } = await stat(first)
    expect((await stat(await store.localPath(key))).ino).toBe(ino)
    await store.delete(key)
    await expect(stat(first)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('refuses to cache an object whose bytes do not hash to its key', async () => {
    const { key } = await store.put(patternBytes(1000))
    const name = `${prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: name, Body: patternBytes(999) }))
    await expect(store.localPath(key)).rejects.toMatchObject({ code: 'ASSET_CORRUPT' })
    expect(await readdir(cacheDir)).toEqual(['.tmp'])
  })

  it('serves a presigned GET with the given type and download name', async () => {
    const data = patternBytes(5000)
    const { key } = await store.put(data)
    const url = await store.presignDownload(key, {
      expiresInSeconds: 60,
      contentType: 'image/png',
      filename: 'café "menu".png',
    })
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="caf_ _menu_.png"; filename*=UTF-8''caf%C3%A9%20%22menu%22.png`,
    )
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(data)
    const ranged = await fetch(url, { headers: { range: 'bytes=10-19' } })
    expect(ranged.status).toBe(206)
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(data.slice(10, 20))
  })

  it('accepts a browser PUT to a presigned upload URL and adopts it under its hash', async () => {
    const data = patternBytes(200_000)
    const upload = await store.presignUpload({
      expiresInSeconds: 600,
      contentType: 'image/png',
      contentLength: 200_000,
    })
    expect(upload.key).toMatch(/^tmp\/[0-9a-f-]{36}$/)
    expect(upload.method).toBe('PUT')
    expect(upload.headers).toEqual({ 'content-type': 'image/png' })
    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(data) })
    expect(put.status).toBe(200)
    expect(await objectNames()).toEqual([upload.key])

    const heads: number[] = []
    const blob = await store.adoptUpload(upload.key, {
      maxBytes: 200_000,
      inspect: (head) => {
        heads.push(head.byteLength)
        expect(head.subarray(0, 16)).toEqual(data.subarray(0, 16))
      },
    })
    expect(blob).toEqual({ key: sha256(data), sha256: sha256(data), bytes: 200_000 })
    expect(heads).toHaveLength(1)
    expect(heads[0]).toBeGreaterThanOrEqual(64 * 1024)
    expect(await objectNames()).toEqual([`${blob.key.slice(0, 2)}/${blob.key.slice(2, 4)}/${blob.key}`])
    // The adoption went through the cache, so the first localPath needs no download.
    expect(await store.localPath(blob.key)).toBe(join(cacheDir, blob.key))
    await expect(store.adoptUpload(upload.key)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('adopts bytes that already exist without copying, and deletes the upload', async () => {
    const data = patternBytes(3000)
    const existing = await store.put(data)
    const upload = await store.presignUpload({ expiresInSeconds: 60, contentType: 'application/octet-stream' })
    await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(data) })
    expect(await store.adoptUpload(upload.key)).toEqual(existing)
    expect(await objectNames()).toHaveLength(1)
  })

  it('refuses and deletes an upload that fails inspection or is too large', async () => {
    const refusedByInspection = await store.presignUpload({ expiresInSeconds: 60, contentType: 'text/plain' })
    await fetch(refusedByInspection.url, { method: 'PUT', headers: refusedByInspection.headers, body: 'hello' })
    await expect(
      store.adoptUpload(refusedByInspection.key, {
        inspect: () => {
          throw new Error('not an image')
        },
      }),
    ).rejects.toThrow('not an image')

    const tooLarge = await store.presignUpload({ expiresInSeconds: 60, contentType: 'image/png' })
    await fetch(tooLarge.url, { method: 'PUT', headers: tooLarge.headers, body: new Uint8Array(patternBytes(2000)) })
    await expect(store.adoptUpload(tooLarge.key, { maxBytes: 1999 })).rejects.toMatchObject({
      code: 'UPLOAD_TOO_LARGE',
    })
    expect(await objectNames()).toEqual([])
    expect(await readdir(join(cacheDir, '.tmp'))).toEqual([])
    expect((await readdir(cacheDir)).filter((name) => name !== '.tmp')).toEqual([])
  })

  it('only adopts and discards tmp/<uuid> keys', async () => {
    const { key } = await store.put(patternBytes(10))
    for (const bad of [key, 'tmp/../x', `tmp/${'0'.repeat(36)}`, '../tmp/00000000-0000-0000-0000-000000000000']) {
      await expect(store.adoptUpload(bad)).rejects.toMatchObject({ code: 'INVALID_UPLOAD_KEY' })
      await expect(store.discardUpload(bad)).rejects.toMatchObject({ code: 'INVALID_UPLOAD_KEY' })
    }
    await expect(store.adoptUpload('tmp/00000000-0000-4000-8000-000000000000')).rejects.toBeInstanceOf(NotFoundError)
    await store.discardUpload('tmp/00000000-0000-4000-8000-000000000000')
  })

  it('reports a missing bucket as a storage failure, never as a missing asset', async () => {
    const lost = new S3AssetStore({ ...server.storeOptions(cacheDir), bucket: 'no-such-bucket' })
    try {
      await expect(lost.put(patternBytes(10))).rejects.toMatchObject({ code: 'ASSET_STORAGE_FAILED' })
      const missing = sha256(patternBytes(10))
      await expect(lost.read(missing)).rejects.toMatchObject({ code: 'ASSET_STORAGE_FAILED' })
      await expect(lost.read(missing)).rejects.toThrow(/s3:\/\/no-such-bucket\//)
      // `exists` cannot tell (a HEAD of a missing bucket is a bare 404), so readiness pings the bucket.
      await expect(lost.ping()).rejects.toMatchObject({ code: 'ASSET_STORAGE_FAILED', details: { status: 404 } })
      await store.ping()
    } finally {
      await lost.close()
    }
  })

  it('stores objects s3rver itself reads back byte for byte', async () => {
    const data = patternBytes(70_000)
    const { key } = await store.put(data)
    const name = `${prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`
    const head = await client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: name }))
    expect(head.ContentLength).toBe(70_000)
    const got = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: name }))
    expect(sha256(await got.Body!.transformToByteArray())).toBe(key)
  })
})
