import { createHash, createHmac } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sha256 } from '../asset-store.contract.ts'
import { S3AssetStore, type S3AssetStoreOptions } from './s3-asset-store.ts'

// s3rver does not check Signature V4, so the signatures are checked here: recomputed by hand
// from the AWS SigV4 rules (query-string authentication) for a pinned clock and compared.

const accessKeyId = 'AKIAIOSFODNN7EXAMPLE'
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
const clock = new Date('2026-03-04T05:06:07Z')
const key = sha256(new TextEncoder().encode('signed'))

const hmac = (signingKey: string | Buffer, data: string) => createHmac('sha256', signingKey).update(data).digest()
const hex = (data: string) => createHash('sha256').update(data).digest('hex')

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** The Signature V4 signature of a canonical request, per the AWS documentation. */
function signatureOf(canonicalRequest: string, amzDate: string, region: string, secret = secretAccessKey): string {
  const day = amzDate.slice(0, 8)
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, `${day}/${region}/s3/aws4_request`, hex(canonicalRequest)].join(
    '\n',
  )
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), 's3'), 'aws4_request')
  return createHmac('sha256', signingKey).update(stringToSign).digest('hex')
}

/** Recomputes the signature of a presigned URL from its parts and the headers it signed. */
function expectedSignature(url: URL, method: string, headers: Record<string, string>, region: string): string {
  const params = [...url.searchParams.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  const signed = url.searchParams.get('X-Amz-SignedHeaders')!.split(';')
  const all: Record<string, string> = { host: url.host, ...headers }
  const canonicalHeaders = signed.map((name) => `${name}:${String(all[name]).trim()}\n`).join('')
  const canonicalRequest = [method, url.pathname, params, canonicalHeaders, signed.join(';'), 'UNSIGNED-PAYLOAD'].join(
    '\n',
  )
  return signatureOf(canonicalRequest, url.searchParams.get('X-Amz-Date')!, region)
}

describe('presigned S3 URLs', () => {
  let cacheDir: string
  const stores: S3AssetStore[] = []
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'patchbay-s3-presign-'))
  })
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close()
    await rm(cacheDir, { recursive: true, force: true })
  })

  function storeWith(options: Partial<S3AssetStoreOptions>): S3AssetStore {
    const store = new S3AssetStore({
      bucket: 'media-bucket',
      region: 'eu-west-1',
      accessKeyId,
      secretAccessKey,
      cacheDir,
      now: () => clock,
      ...options,
    })
    stores.push(store)
    return store
  }

  it('the hand-rolled signer reproduces the AWS documentation’s example (GET with a range)', () => {
    const canonicalRequest = [
      'GET',
      '/test.txt',
      '',
      'host:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n' +
        'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n' +
        'x-amz-date:20130524T000000Z\n',
      'host;range;x-amz-content-sha256;x-amz-date',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n')
    expect(hex(canonicalRequest)).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972')
    expect(signatureOf(canonicalRequest, '20130524T000000Z', 'us-east-1')).toBe(
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    )
  })

  it('signs a download with SigV4 query parameters that recompute to the same signature', async () => {
    const store = storeWith({ endpoint: 'http://127.0.0.1:9000', prefix: 'pb' })
    const url = new URL(
      await store.presignDownload(key, {
        expiresInSeconds: 300,
        contentType: 'image/png',
        filename: 'a cat.png',
        disposition: 'inline',
      }),
    )
    expect(`${url.origin}${url.pathname}`).toBe(
      `http://127.0.0.1:9000/media-bucket/pb/${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`,
    )
    const query = url.searchParams
    expect(query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(query.get('X-Amz-Credential')).toBe(`${accessKeyId}/20260304/eu-west-1/s3/aws4_request`)
    expect(url.search).toContain(`X-Amz-Credential=${accessKeyId}%2F20260304%2Feu-west-1%2Fs3%2Faws4_request`)
    expect(query.get('X-Amz-Date')).toBe('20260304T050607Z')
    expect(query.get('X-Amz-Expires')).toBe('300')
    expect(query.get('X-Amz-SignedHeaders')).toBe('host')
    expect(query.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/)
    expect(query.get('response-content-type')).toBe('image/png')
    expect(query.get('response-content-disposition')).toBe(`inline; filename="a cat.png"; filename*=UTF-8''a%20cat.png`)
    expect(url.search).not.toContain(secretAccessKey)
    expect(query.get('X-Amz-Signature')).toBe(expectedSignature(url, 'GET', {}, 'eu-west-1'))
  })

  it('a changed parameter no longer matches the signature', async () => {
    const store = storeWith({ endpoint: 'http://127.0.0.1:9000' })
    const url = new URL(await store.presignDownload(key, { expiresInSeconds: 60, contentType: 'image/png' }))
    const signature = url.searchParams.get('X-Amz-Signature')
    url.searchParams.set('response-content-type', 'text/html')
    expect(expectedSignature(url, 'GET', {}, 'eu-west-1')).not.toBe(signature)
  })

  it('signs an upload’s Content-Type and Content-Length, so the PUT must send exactly those', async () => {
    const store = storeWith({ endpoint: 'https://minio.example.com' })
    const upload = await store.presignUpload({ expiresInSeconds: 900, contentType: 'video/mp4', contentLength: 1234 })
    expect(upload.expiresAt).toEqual(new Date(clock.getTime() + 900_000))
    expect(upload.headers).toEqual({ 'content-type': 'video/mp4' })
    const url = new URL(upload.url)
    expect(url.pathname).toBe(`/media-bucket/${upload.key}`)
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host')
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900')
    const signature = url.searchParams.get('X-Amz-Signature')
    const sent = { 'content-type': 'video/mp4', 'content-length': '1234' }
    expect(signature).toBe(expectedSignature(url, 'PUT', sent, 'eu-west-1'))
    expect(signature).not.toBe(expectedSignature(url, 'PUT', { ...sent, 'content-length': '1235' }, 'eu-west-1'))
    expect(signature).not.toBe(expectedSignature(url, 'PUT', { ...sent, 'content-type': 'text/html' }, 'eu-west-1'))
  })

  it('uses path-style URLs with an endpoint, virtual-host style on AWS or when asked', async () => {
    const name = `${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`
    const hostOf = async (options: Partial<S3AssetStoreOptions>) => {
      const url = new URL(await storeWith(options).presignDownload(key, { expiresInSeconds: 60 }))
      return `${url.origin}${url.pathname}`
    }
    expect(await hostOf({})).toBe(`https://media-bucket.s3.eu-west-1.amazonaws.com/${name}`)
    expect(await hostOf({ forcePathStyle: true })).toBe(`https://s3.eu-west-1.amazonaws.com/media-bucket/${name}`)
    expect(await hostOf({ endpoint: 'https://minio.example.com:9000' })).toBe(
      `https://minio.example.com:9000/media-bucket/${name}`,
    )
    expect(await hostOf({ endpoint: 'https://r2.example.com', forcePathStyle: false })).toBe(
      `https://media-bucket.r2.example.com/${name}`,
    )
  })

  it('the virtual-host URL’s signature covers its own host', async () => {
    const url = new URL(await storeWith({}).presignDownload(key, { expiresInSeconds: 60 }))
    expect(url.host).toBe('media-bucket.s3.eu-west-1.amazonaws.com')
    expect(url.searchParams.get('X-Amz-Signature')).toBe(expectedSignature(url, 'GET', {}, 'eu-west-1'))
  })

  it('refuses expiries SigV4 cannot express and keys that are not asset keys', async () => {
    const store = storeWith({})
    for (const seconds of [0, -5, 1.5, 7 * 24 * 3600 + 1]) {
      await expect(store.presignDownload(key, { expiresInSeconds: seconds })).rejects.toThrow(RangeError)
      await expect(store.presignUpload({ expiresInSeconds: seconds, contentType: 'image/png' })).rejects.toThrow(
        RangeError,
      )
    }
    await expect(store.presignDownload('../secrets', { expiresInSeconds: 60 })).rejects.toMatchObject({
      code: 'INVALID_ASSET_KEY',
    })
  })
})
