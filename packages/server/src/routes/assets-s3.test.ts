import { createHash } from 'node:crypto'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { startS3ForTests } from '@patchbay/storage/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../api/errors.ts'
import { pngBytes, signUpOwnerViewerStranger, uploadForm } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'
import type { AssetJson } from './asset-json.ts'
import type { AssetUploadJson } from './asset-uploads.ts'

// The asset routes on an S3 store (s3rver on loopback): direct uploads through presigned PUTs,
// downloads answered with a redirect to a presigned GET, and the refusals around them.

const maxUploadBytes = 300_000
const s3 = await startS3ForTests('asset routes on S3 storage')

afterAll(async () => {
  await s3?.close()
})

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error
}

describe.skipIf(!s3)('asset routes on S3 storage', () => {
  let server: TestServer
  let owner: Caller
  let viewer: Caller
  let stranger: Caller
  const inDefaultOrg = { 'x-patchbay-org': DEFAULT_ORG_ID }

  beforeAll(async () => {
    server = await startTestServer({ env: { ...s3!.env(), PATCHBAY_MAX_UPLOAD_BYTES: String(maxUploadBytes) } })
    ;({ owner, viewer, stranger } = await signUpOwnerViewerStranger(server))
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  function createUpload(body: unknown, as: Caller = owner, headers: Record<string, string> = {}) {
    return server.fetch('/api/v1/assets/uploads', { method: 'POST', as, json: body, headers })
  }

  function complete(uploadId: string, as: Caller = owner, headers: Record<string, string> = {}) {
    return server.fetch(`/api/v1/assets/uploads/${uploadId}/complete`, { method: 'POST', as, headers })
  }

  /** Starts an upload, PUTs `bytes` to its URL like a browser would, and returns the upload. */
  async function putUpload(bytes: Uint8Array, name: string, contentType = 'image/png', declared = bytes.byteLength) {
    const response = await createUpload({ name, contentType, bytes: declared })
    expect(response.status).toBe(201)
    const upload = (await response.json()) as AssetUploadJson
    const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: new Uint8Array(bytes) })
    expect(put.status).toBe(200)
    return upload
  }

  async function uploadedAsset(bytes: Uint8Array, name: string): Promise<AssetJson> {
    const upload = await putUpload(bytes, name)
    const response = await complete(upload.uploadId)
    expect(response.status).toBe(201)
    return (await response.json()) as AssetJson
  }

  it('uploads through a presigned PUT to the bucket, then completes into an asset', async () => {
    const png = await pngBytes(12, 7)
    const response = await createUpload({ name: 'red dot.png', contentType: 'image/png', bytes: png.byteLength })
    expect(response.status).toBe(201)
    const upload = (await response.json()) as AssetUploadJson
    expect(upload.method).toBe('PUT')
    expect(upload.headers).toEqual({ 'content-type': 'image/png' })
    expect(upload.url.startsWith(`${s3!.endpoint}/${s3!.bucket}/`)).toBe(true)
    const url = new URL(upload.url)
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256')
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('content-length;content-type;host')
    expect(new Date(upload.expiresAt).getTime()).toBeGreaterThan(Date.now() + 30 * 60_000)

    const put = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: new Uint8Array(png) })
    expect(put.status).toBe(200)
    const completed = await complete(upload.uploadId)
    expect(completed.status).toBe(201)
    const asset = (await completed.json()) as AssetJson
    expect(asset).toMatchObject({
      kind: 'image',
      mime: 'image/png',
      bytes: png.byteLength,
      sha256: sha256(png),
      width: 12,
      height: 7,
      name: 'red dot.png',
    })
    expect(await server.services.runtime.assets.exists(asset.sha256)).toBe(true)
    const listed = await server.fetch('/api/v1/assets', { as: owner })
    expect(((await listed.json()) as { items: AssetJson[] }).items.map((item) => item.id)).toContain(asset.id)
    // An upload becomes an asset once.
    expect((await complete(upload.uploadId)).status).toBe(404)
  })

  it('answers content requests with a redirect to a presigned GET carrying type and file name', async () => {
    const png = await pngBytes(9, 9)
    const asset = await uploadedAsset(png, 'café.png')
    const response = await server.fetch(`/api/v1/assets/${asset.id}/content`, { as: owner, redirect: 'manual' })
    expect(response.status).toBe(302)
    expect(response.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/)
    const location = new URL(response.headers.get('location')!)
    expect(location.origin).toBe(s3!.endpoint)
    expect(location.searchParams.get('X-Amz-Expires')).toBe('900')
    expect(location.searchParams.get('response-content-type')).toBe('image/png')
    expect(location.searchParams.get('response-content-disposition')).toBe(
      `inline; filename="caf_.png"; filename*=UTF-8''caf%C3%A9.png`,
    )
    const bytes = await fetch(location)
    expect(bytes.status).toBe(200)
    expect(bytes.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array(png))
    const ranged = await fetch(location, { headers: { range: 'bytes=1-3' } })
    expect(ranged.status).toBe(206)
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(new Uint8Array(png.subarray(1, 4)))

    // The signed link in the JSON (no credentials) redirects too; following it gets the bytes.
    const anonymous = await fetch(asset.url, { redirect: 'manual' })
    expect(anonymous.status).toBe(302)
    const followed = await fetch(asset.url)
    expect(followed.status).toBe(200)
    expect(sha256(new Uint8Array(await followed.arrayBuffer()))).toBe(asset.sha256)

    // HEAD and If-None-Match are answered here, without storage.
    const head = await server.fetch(`/api/v1/assets/${asset.id}/content`, { method: 'HEAD', as: owner })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(png.byteLength))
    const cached = await server.fetch(`/api/v1/assets/${asset.id}/content`, {
      as: owner,
      headers: { 'if-none-match': `"${asset.sha256}"` },
      redirect: 'manual',
    })
    expect(cached.status).toBe(304)
  })

  it('still takes multipart uploads, stores them in the bucket and serves thumbnails itself', async () => {
    const png = await pngBytes(40, 20)
    const response = await server.fetch('/api/v1/assets', { method: 'POST', as: owner, body: uploadForm(png, 'm.png') })
    expect(response.status).toBe(201)
    const asset = (await response.json()) as AssetJson
    expect(await server.services.runtime.assets.exists(asset.sha256)).toBe(true)
    const thumbnail = await fetch(asset.thumbnailUrl!)
    expect(thumbnail.status).toBe(200)
    expect(thumbnail.headers.get('content-type')).toBe('image/webp')
    const redirect = await server.fetch(`/api/v1/assets/${asset.id}/content`, { as: owner, redirect: 'manual' })
    expect(redirect.status).toBe(302)

    const removed = await server.fetch(`/api/v1/assets/${asset.id}`, { method: 'DELETE', as: owner })
    expect(removed.status).toBe(204)
    expect(await server.services.runtime.assets.exists(asset.sha256)).toBe(false)
  })

  it('binds an upload to its organisation: another one cannot complete it', async () => {
    const png = await pngBytes(5, 13)
    const upload = await putUpload(png, 'mine.png')
    const foreign = await complete(upload.uploadId, stranger)
    expect(foreign.status).toBe(404)
    expect((await errorOf(foreign)).code).toBe('NOT_FOUND')
    // Acting in the default organisation without belonging to it is refused too.
    expect((await complete(upload.uploadId, stranger, inDefaultOrg)).status).toBe(404)
    // A tampered id (another temporary object, the same signature) is no upload at all.
    const [body, signature] = upload.uploadId.split('.')
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8')) as Record<string, unknown>
    const forged = `${Buffer.from(JSON.stringify({ ...claims, o: 'other-org' })).toString('base64url')}.${signature}`
    expect((await complete(forged)).status).toBe(404)
    // The owner's organisation still can.
    expect((await complete(upload.uploadId)).status).toBe(201)
  })

  it('needs the editor role to start or complete an upload', async () => {
    const body = { name: 'x.png', contentType: 'image/png', bytes: 10 }
    expect((await createUpload(body, 'anonymous')).status).toBe(401)
    expect((await createUpload(body, viewer, inDefaultOrg)).status).toBe(403)
    const upload = await putUpload(await pngBytes(3, 3), 'x.png')
    expect((await complete(upload.uploadId, viewer, inDefaultOrg)).status).toBe(403)
    expect((await complete(upload.uploadId, 'anonymous')).status).toBe(401)
  })

  it('refuses a file that is not an image, video or audio with 415 and deletes it', async () => {
    const text = new TextEncoder().encode('<html><script>alert(1)</script></html>')
    const upload = await putUpload(text, 'page.png', 'image/png')
    const refused = await complete(upload.uploadId)
    expect(refused.status).toBe(415)
    expect((await errorOf(refused)).code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect((await complete(upload.uploadId)).status).toBe(404)
    expect(await server.services.runtime.assets.exists(sha256(text))).toBe(false)

    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const svgUpload = await putUpload(svg, 'x.svg', 'image/svg+xml')
    const svgRefused = await complete(svgUpload.uploadId)
    expect(svgRefused.status).toBe(415)
    expect((await errorOf(svgRefused)).message).toMatch(/SVG/)
  })

  it('enforces the upload limit up front and on completion (413)', async () => {
    const tooBig = await createUpload({ name: 'big.png', contentType: 'image/png', bytes: maxUploadBytes + 1 })
    expect(tooBig.status).toBe(413)
    expect(await errorOf(tooBig)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: maxUploadBytes } })

    // s3rver does not enforce the signed Content-Length (S3 does), so completion checks the size again.
    const png = await pngBytes(30, 30)
    const upload = await putUpload(png, 'sneaky.png', 'image/png', 100)
    const refused = await complete(upload.uploadId)
    expect(refused.status).toBe(413)
    expect((await errorOf(refused)).code).toBe('PAYLOAD_TOO_LARGE')
    expect((await complete(upload.uploadId)).status).toBe(404)
    expect(await server.services.runtime.assets.exists(sha256(png))).toBe(false)
  })

  it('validates the request and refuses completing before the file was sent', async () => {
    for (const body of [
      { name: 'x.png', contentType: 'image/png', bytes: 0 },
      { name: 'x.png', contentType: 'not a type', bytes: 10 },
      { contentType: 'image/png', bytes: 10 },
    ]) {
      expect((await createUpload(body)).status).toBe(400)
    }
    const response = await createUpload({ name: 'later.png', contentType: 'image/png', bytes: 10 })
    const upload = (await response.json()) as AssetUploadJson
    const early = await complete(upload.uploadId)
    expect(early.status).toBe(404)
    expect((await errorOf(early)).message).toMatch(/never PUT/)
    expect((await complete('not-a-token')).status).toBe(404)
  })

  it('documents the upload routes in the OpenAPI document', async () => {
    const doc = (await (await server.fetch('/api/v1/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/assets/uploads', '/api/v1/assets/uploads/{uploadId}/complete']),
    )
  })
})

describe.skipIf(!s3)('readiness on S3 storage', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ env: { ...s3!.env(), S3_BUCKET: 'no-such-bucket' } })
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  it('is not ready while the bucket is missing', async () => {
    const response = await server.fetch('/ready')
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({
      ready: false,
      checks: { database: { ok: true }, assets: { ok: false, error: 'ASSET_STORAGE_FAILED' } },
    })
  })
})

describe('asset uploads with local storage', () => {
  let server: TestServer
  let owner: Caller

  beforeAll(async () => {
    server = await startTestServer()
    owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  it('refuses direct uploads with 409 PRESIGNED_UPLOADS_UNAVAILABLE, pointing at multipart', async () => {
    const started = await server.fetch('/api/v1/assets/uploads', {
      method: 'POST',
      as: owner,
      json: { name: 'x.png', contentType: 'image/png', bytes: 100 },
    })
    expect(started.status).toBe(409)
    const error = await errorOf(started)
    expect(error.code).toBe('PRESIGNED_UPLOADS_UNAVAILABLE')
    expect(error.message).toMatch(/multipart/)
    const completed = await server.fetch('/api/v1/assets/uploads/abc.def/complete', { method: 'POST', as: owner })
    expect(completed.status).toBe(409)
    expect((await errorOf(completed)).code).toBe('PRESIGNED_UPLOADS_UNAVAILABLE')
  })

  it('keeps serving the bytes itself', async () => {
    const png = await pngBytes(4, 4)
    const response = await server.fetch('/api/v1/assets', { method: 'POST', as: owner, body: uploadForm(png, 'a.png') })
    const asset = (await response.json()) as AssetJson
    const content = await server.fetch(`/api/v1/assets/${asset.id}/content`, { as: owner, redirect: 'manual' })
    expect(content.status).toBe(200)
    expect(new Uint8Array(await content.arrayBuffer())).toEqual(new Uint8Array(png))
  })
})
