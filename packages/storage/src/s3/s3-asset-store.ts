import { createHash, randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { ByteSource } from '@patchbay/core'
import { NotFoundError, PatchbayError } from '@patchbay/core'
import { assertAssetKey } from '../asset-key.ts'
import type { StoredBlob } from '../asset-store.ts'
import { assertRange, chunksOf, concat, createDigest } from '../bytes.ts'
import { contentDisposition } from '../content-disposition.ts'
import {
  type AdoptUploadOptions,
  isUploadKey,
  type PresignDownloadOptions,
  type PresignedUpload,
  type PresigningAssetStore,
  type PresignUploadOptions,
} from '../presigning.ts'
import { DownloadCache } from './download-cache.ts'
import { inspectedUpload, tooLarge } from './inspect-upload.ts'
import { bodyChunks, clipToRange, discardBody, rangeStartOf, requireBody } from './s3-body.ts'
import { checkedExpiry, clientConfig, normalizePrefix } from './s3-config.ts'
import { copyObject } from './s3-copy.ts'
import { isMissingObject, isUnsatisfiableRange, storageError } from './s3-errors.ts'

/** S3's smallest multipart part (except the last). */
const minPartBytes = 5 * 1024 * 1024
const defaultPartBytes = 8 * 1024 * 1024
const defaultInspectBytes = 64 * 1024
const octetStream = 'application/octet-stream'

export interface S3AssetStoreOptions {
  bucket: string
  /** E.g. `us-east-1`; `auto` for Cloudflare R2. */
  region: string
  /** An S3-compatible service (MinIO, R2, GCS interop); AWS itself when absent. */
  endpoint?: string
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (default: true when `endpoint` is set). */
  forcePathStyle?: boolean
  /** Static credentials; without them the AWS SDK's default chain (env, profile, instance role) is used. */
  accessKeyId?: string
  secretAccessKey?: string
  /** Prepended to every object name, e.g. `patchbay/` to share a bucket. */
  prefix?: string
  /** Where `localPath` keeps downloaded copies (`<cacheDir>/<sha256>`). */
  cacheDir: string
  /** How large the download cache may grow; past it the least recently used copies go (default: no limit). */
  cacheMaxBytes?: number
  /** Streams larger than this go up as a multipart upload of parts this size (default 8 MiB, at least 5 MiB). */
  partSize?: number
  /** The clock presigned URLs are signed with (tests pin it). */
  now?: () => Date
}

/**
 * An {@link AssetStore} on an S3-compatible bucket, with the local store's layout:
 * `<prefix>ab/cd/<sha256>`. A put hashes as it streams; a blob that fits in one part goes
 * straight to its content key, a larger one is uploaded (multipart) to `<prefix>tmp/<uuid>`
 * first, then copied to its key (unless already there) and the temporary object deleted.
 * It can presign downloads and browser uploads ({@link PresigningAssetStore}).
 *
 * @example
 * const store = new S3AssetStore({ bucket: 'media', region: 'us-east-1', cacheDir: './data/cache/assets' })
 * const url = await store.presignDownload(key, { expiresInSeconds: 300, filename: 'cat.png' })
 */
export class S3AssetStore implements PresigningAssetStore {
  readonly kind = 's3' as const
  readonly bucket: string
  readonly prefix: string
  readonly #client: S3Client
  readonly #cache: DownloadCache
  readonly #partSize: number
  readonly #now: () => Date

  constructor(options: S3AssetStoreOptions) {
    this.bucket = options.bucket
    this.prefix = normalizePrefix(options.prefix)
    this.#cache = new DownloadCache(
      options.cacheDir,
      options.cacheMaxBytes === undefined ? {} : { maxBytes: options.cacheMaxBytes },
    )
    this.#partSize = Math.max(options.partSize ?? defaultPartBytes, minPartBytes)
    this.#now = options.now ?? (() => new Date())
    this.#client = new S3Client(clientConfig(options))
  }

  async put(data: ByteSource): Promise<StoredBlob> {
    if (data instanceof Uint8Array) return this.#putWhole(data)
    // Reads up to one part: a blob that ends within it is hashed before it is sent, so it can
    // go straight to its content key; only larger ones need the temporary object.
    const iterator = chunksOf(data)[Symbol.asyncIterator]()
    const head: Uint8Array[] = []
    let size = 0
    while (size < this.#partSize) {
      const next = await iterator.next()
      if (next.done) return this.#putWhole(concat(head, size))
      // Copied because producers may reuse their buffer for the next chunk.
      head.push(next.value.slice())
      size += next.value.byteLength
    }
    return this.#putLarge(concat(head, size), iterator)
  }

  async read(key: string): Promise<Uint8Array> {
    const name = this.#objectName(key)
    try {
      const output = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }))
      const bytes = await requireBody(output.Body).transformToByteArray()
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (error) {
      throw storageError(error, 'GET', this.#where(name), key)
    }
  }

  stream(key: string, range?: { start: number; end?: number }): AsyncIterable<Uint8Array> {
    const name = this.#objectName(key)
    assertRange(range)
    return this.#stream(key, name, range)
  }

  async exists(key: string): Promise<boolean> {
    return this.#has(this.#objectName(key))
  }

  /** HEAD of the bucket: a missing bucket (404) or refused credentials (403) fail it; a missing object would not. */
  async ping(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.bucket }))
    } catch (error) {
      throw storageError(error, 'HEAD', `s3://${this.bucket}`)
    }
  }

  async delete(key: string): Promise<void> {
    const name = this.#objectName(key)
    await this.#deleteObject(name)
    await this.#cache.forget(key)
  }

  async localPath(key: string): Promise<string> {
    const name = this.#objectName(key)
    return this.#cache.path(key, async () => {
      try {
        const output = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }))
        return bodyChunks(output.Body)
      } catch (error) {
        throw storageError(error, 'GET', this.#where(name), key)
      }
    })
  }

  async presignDownload(key: string, options: PresignDownloadOptions): Promise<string> {
    const name = this.#objectName(key)
    const disposition =
      options.filename === undefined && options.disposition === undefined
        ? undefined
        : contentDisposition(options.disposition ?? 'attachment', options.filename)
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: name,
      ...(options.contentType === undefined ? {} : { ResponseContentType: options.contentType }),
      ...(disposition === undefined ? {} : { ResponseContentDisposition: disposition }),
    })
    return getSignedUrl(this.#client, command, {
      expiresIn: checkedExpiry(options.expiresInSeconds),
      signingDate: this.#now(),
    })
  }

  async presignUpload(options: PresignUploadOptions): Promise<PresignedUpload> {
    const expiresIn = checkedExpiry(options.expiresInSeconds)
    const { contentLength } = options
    if (contentLength !== undefined && !(Number.isSafeInteger(contentLength) && contentLength >= 0)) {
      throw new RangeError(`invalid content length ${contentLength}`)
    }
    const key = `tmp/${randomUUID()}`
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.prefix + key,
      ContentType: options.contentType,
      ...(contentLength === undefined ? {} : { ContentLength: contentLength }),
    })
    const signed = contentLength === undefined ? ['content-type'] : ['content-type', 'content-length']
    const now = this.#now()
    const url = await getSignedUrl(this.#client, command, {
      expiresIn,
      signingDate: now,
      // Content-Type is unsigned by default; signing it (and the length) binds the URL to them.
      signableHeaders: new Set(signed),
    })
    return {
      url,
      method: 'PUT',
      headers: { 'content-type': options.contentType },
      key,
      expiresAt: new Date(now.getTime() + expiresIn * 1000),
    }
  }

  async adoptUpload(tmpKey: string, options: AdoptUploadOptions = {}): Promise<StoredBlob> {
    const name = this.#uploadName(tmpKey)
    const { maxBytes, inspect } = options
    const inspectBytes = options.inspectBytes ?? defaultInspectBytes
    let refused = false
    const refuse = (error: unknown) => {
      refused = true
      return error
    }
    try {
      let output: GetObjectCommandOutput
      try {
        output = await this.#client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }))
      } catch (error) {
        throw isMissingObject(error)
          ? new NotFoundError('upload', tmpKey)
          : storageError(error, 'GET', this.#where(name))
      }
      // An oversized upload is refused by its Content-Length, before any of it is read.
      if (maxBytes !== undefined && (output.ContentLength ?? 0) > maxBytes) {
        discardBody(output.Body)
        throw refuse(tooLarge(maxBytes))
      }
      const body = bodyChunks(output.Body)
      // Through the local cache: the hash needs every byte anyway, and media probes want a file.
      const { sha256, bytes } = await this.#cache.write(
        inspectedUpload(body, { inspectBytes, ...(maxBytes === undefined ? {} : { maxBytes }), inspect }, refuse),
      )
      await this.#place(name, sha256, bytes)
      await this.#deleteObject(name)
      return { key: sha256, sha256, bytes }
    } catch (error) {
      // A refused upload is deleted; after any other failure it stays, so completing can be retried.
      if (refused) await this.#deleteObject(name).catch(() => {})
      throw error
    }
  }

  async discardUpload(tmpKey: string): Promise<void> {
    await this.#deleteObject(this.#uploadName(tmpKey))
  }

  /** Closes the connections of the S3 client; the store cannot be used afterwards. */
  async close(): Promise<void> {
    this.#client.destroy()
  }

  async #putWhole(data: Uint8Array): Promise<StoredBlob> {
    const sha256 = createHash('sha256').update(data).digest('hex')
    const name = this.#objectName(sha256)
    // The name is the hash of the content, so an object already there holds these very bytes.
    if (!(await this.#has(name))) {
      try {
        await this.#client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: name,
            Body: data,
            ContentLength: data.byteLength,
            ContentType: octetStream,
          }),
        )
      } catch (error) {
        throw storageError(error, 'PUT', this.#where(name))
      }
    }
    return { key: sha256, sha256, bytes: data.byteLength }
  }

  async #putLarge(first: Uint8Array, rest: AsyncIterator<Uint8Array>): Promise<StoredBlob> {
    const digest = createDigest()
    let sourceError: { error: unknown } | undefined
    async function* everything(): AsyncGenerator<Uint8Array> {
      let next: IteratorResult<Uint8Array> = { value: first }
      try {
        while (!next.done) {
          digest.update(next.value)
          yield next.value
          try {
            next = await rest.next()
          } catch (error) {
            sourceError = { error }
            throw error
          }
        }
      } finally {
        // The upload failed part-way: let the source close (a file handle, a socket).
        if (!next.done && !sourceError) await rest.return?.()
      }
    }
    const tmpName = `${this.prefix}tmp/${randomUUID()}`
    try {
      const upload = new Upload({
        client: this.#client,
        params: { Bucket: this.bucket, Key: tmpName, Body: Readable.from(everything()), ContentType: octetStream },
        partSize: this.#partSize,
        queueSize: 4,
        leavePartsOnError: false,
      })
      try {
        await upload.done()
      } catch (error) {
        // A failing byte source surfaces as itself, not as a storage failure.
        if (sourceError) throw sourceError.error
        throw storageError(error, 'multipart upload', this.#where(tmpName))
      }
      const { sha256, bytes } = digest.finish()
      await this.#place(tmpName, sha256, bytes)
      return { key: sha256, sha256, bytes }
    } finally {
      await this.#deleteObject(tmpName).catch(() => {})
    }
  }

  /** Copies an uploaded temporary object to the content key of `sha256`, unless that exists. */
  async #place(tmpName: string, sha256: string, bytes: number): Promise<void> {
    const name = this.#objectName(sha256)
    if (await this.#has(name)) return
    try {
      await copyObject(this.#client, { bucket: this.bucket, from: tmpName, to: name, size: bytes })
    } catch (error) {
      throw storageError(error, 'COPY', `${this.#where(tmpName)} to ${name}`)
    }
  }

  async *#stream(
    key: string,
    name: string,
    range: { start: number; end?: number } | undefined,
  ): AsyncGenerator<Uint8Array> {
    const header =
      range === undefined || (range.start === 0 && range.end === undefined)
        ? undefined
        : `bytes=${range.start}-${range.end ?? ''}`
    let body: AsyncIterable<Uint8Array>
    let offset: number
    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: name, ...(header === undefined ? {} : { Range: header }) }),
      )
      body = bodyChunks(output.Body)
      offset = rangeStartOf(output.ContentRange)
    } catch (error) {
      // S3 answers 416 for a range starting at or past the end of an existing object: nothing to send.
      if (header !== undefined && isUnsatisfiableRange(error)) return
      throw storageError(error, 'GET', this.#where(name), key)
    }
    if (header === undefined || range === undefined) {
      yield* body
      return
    }
    // HTTP lets a server send more than the range asked for (all of it, with a 200); only the range leaves here.
    yield* clipToRange(body, offset, range)
  }

  async #has(name: string): Promise<boolean> {
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: name }))
      return true
    } catch (error) {
      if (isMissingObject(error)) return false
      throw storageError(error, 'HEAD', this.#where(name))
    }
  }

  async #deleteObject(name: string): Promise<void> {
    try {
      await this.#client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: name }))
    } catch (error) {
      if (isMissingObject(error)) return
      throw storageError(error, 'DELETE', this.#where(name))
    }
  }

  /** The object holding blob `key`; checking the key first means no key can name another object. */
  #objectName(key: string): string {
    assertAssetKey(key)
    return `${this.prefix}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`
  }

  #uploadName(tmpKey: string): string {
    if (!isUploadKey(tmpKey)) {
      throw new PatchbayError('INVALID_UPLOAD_KEY', `invalid upload key: expected tmp/<uuid>`)
    }
    return this.prefix + tmpKey
  }

  #where(name: string): string {
    return `s3://${this.bucket}/${name}`
  }
}
