import { createHash } from 'node:crypto'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { audioFixture, ffmpegSuiteEnabled, videoFixture } from '@patchbay/nodes/testing'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ErrorBody } from '../api/errors.ts'
import { pngBytes, uploadForm } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'
import type { AssetJson } from './asset-json.ts'

const withFfmpeg = await ffmpegSuiteEnabled('asset uploads of video and audio')

let server: TestServer
let owner: { cookie: string }
let stranger: { cookie: string; userId: string }
let viewer: { cookie: string }
/** The viewer's first organisation is the one their sign-up created; the default one is picked by header. */
const inDefaultOrg = { 'x-patchbay-org': DEFAULT_ORG_ID }

beforeAll(async () => {
  server = await startTestServer()
  owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
  stranger = await signUp(server, { email: 'stranger@example.com' })
  const viewerUser = await signUp(server, { email: 'viewer@example.com' })
  await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: viewerUser.userId, role: 'viewer' })
  viewer = { cookie: viewerUser.cookie }
}, 60_000)

afterAll(async () => {
  await server?.close()
})

function upload(
  bytes: Uint8Array,
  filename: string,
  options: { as?: Caller; type?: string; name?: string; on?: TestServer; headers?: Record<string, string> } = {},
): Promise<Response> {
  const form = uploadForm(bytes, filename, options.type)
  if (options.name !== undefined) form.set('name', options.name)
  return (options.on ?? server).fetch('/api/v1/assets', {
    method: 'POST',
    as: options.as ?? owner,
    body: form,
    ...(options.headers ? { headers: options.headers } : {}),
  })
}

async function uploaded(bytes: Uint8Array, filename: string, options: Parameters<typeof upload>[2] = {}) {
  const response = await upload(bytes, filename, options)
  const text = await response.text()
  if (response.status !== 201) throw new Error(`upload of ${filename} → ${response.status}: ${text}`)
  return JSON.parse(text) as AssetJson
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error
}

/** A photo-like PNG that does not compress, so its size is roughly width × height × 3 bytes. */
function noisyPng(width: number, height: number): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 3, background: 'black', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
  })
    .png()
    .toBuffer()
}

/** A mono 16-bit PCM WAV of silence-free noise, made without ffmpeg. */
function wavBytes(seconds: number, sampleRate = 8000): Buffer {
  const samples = Math.round(seconds * sampleRate)
  const wav = Buffer.alloc(44 + samples * 2)
  wav.write('RIFF', 0)
  wav.writeUInt32LE(36 + samples * 2, 4)
  wav.write('WAVEfmt ', 8)
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20)
  wav.writeUInt16LE(1, 22)
  wav.writeUInt32LE(sampleRate, 24)
  wav.writeUInt32LE(sampleRate * 2, 28)
  wav.writeUInt16LE(2, 32)
  wav.writeUInt16LE(16, 34)
  wav.write('data', 36)
  wav.writeUInt32LE(samples * 2, 40)
  for (let i = 0; i < samples; i++) wav.writeInt16LE(Math.round(Math.sin(i / 3) * 8000), 44 + i * 2)
  return wav
}

/** The header of an MP4 with no media in it: sniffed as video/mp4, but nothing can play it. */
function hollowMp4(): Buffer {
  const ftyp = Buffer.alloc(24)
  ftyp.writeUInt32BE(24, 0)
  ftyp.write('ftypisom', 4)
  ftyp.writeUInt32BE(512, 12)
  ftyp.write('isommp42', 16)
  const free = Buffer.alloc(16)
  free.writeUInt32BE(16, 0)
  free.write('free', 4)
  return Buffer.concat([ftyp, free])
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const pathOf = (url: string) => url.slice(server.url.length)

describe('uploading assets', () => {
  it('stores an image with its size and signed links, and gives identical bytes the same asset', async () => {
    const png = await pngBytes(40, 30)
    const asset = await uploaded(png, 'photo.png')
    expect(asset).toMatchObject({
      kind: 'image',
      mime: 'image/png',
      bytes: png.byteLength,
      sha256: sha256(png),
      width: 40,
      height: 30,
      name: 'photo.png',
    })
    expect(asset.durationMs).toBeUndefined()
    expect(asset.url).toMatch(
      new RegExp(`^${server.url}/api/v1/assets/${asset.id}/content\\?org=default&exp=\\d+&sig=`),
    )
    expect(asset.thumbnailUrl).toMatch(new RegExp(`^${server.url}/api/v1/assets/${asset.id}/thumbnail\\?org=default&`))
    expect(new Date(asset.urlExpiresAt).getTime()).toBeGreaterThan(Date.now())

    const again = await uploaded(png, 'copy.png')
    expect(again.id).toBe(asset.id)
    const read = await server.fetch(`/api/v1/assets/${asset.id}`, { as: owner })
    expect(read.status).toBe(200)
    expect(await read.json()).toMatchObject({ id: asset.id, name: 'photo.png', width: 40 })
  })

  it('reads the type from the bytes, not from the file name or the Content-Type', async () => {
    const png = await pngBytes(12, 7)
    const asset = await uploaded(png, 'clip.mp4', { type: 'video/mp4' })
    expect(asset).toMatchObject({ kind: 'image', mime: 'image/png', width: 12, height: 7, name: 'clip.mp4' })
    const jpeg = await sharp({ create: { width: 20, height: 10, channels: 3, background: 'teal' } })
      .jpeg()
      .toBuffer()
    const named = await uploaded(jpeg, 'C:\\photos\\holiday.png', { type: 'image/png', name: 'Holiday / beach' })
    expect(named).toMatchObject({ kind: 'image', mime: 'image/jpeg', width: 20, height: 10, name: 'Holiday / beach' })
    const pathless = await uploaded(await pngBytes(13, 7), '../../etc/passwd.png')
    expect(pathless.name).toBe('passwd.png')
  })

  it('stores audio (with its duration when ffprobe is installed)', async () => {
    const wav = wavBytes(1.5)
    const asset = await uploaded(wav, 'tone.png', { type: 'image/png' })
    expect(asset).toMatchObject({ kind: 'audio', mime: 'audio/wav', bytes: wav.byteLength })
    expect(asset.thumbnailUrl).toBeUndefined()
    if (withFfmpeg) expect(asset.durationMs).toBe(1500)
  })

  it('streams a multi-megabyte upload to storage intact', async () => {
    const wav = wavBytes(400, 8000)
    expect(wav.byteLength).toBeGreaterThan(6_000_000)
    const asset = await uploaded(wav, 'long.wav')
    expect(asset).toMatchObject({ bytes: wav.byteLength, sha256: sha256(wav) })
    const download = await server.fetch(`/api/v1/assets/${asset.id}/content`, { as: owner })
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(wav))
  })

  it('refuses text, JSON, SVG, PDF, empty and truncated files with 415 and keeps none of them', async () => {
    const truncated = (await noisyPng(64, 64)).subarray(0, 3000)
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['notes.png', Buffer.from('just some text, honest'), 'image/png', /not a recognised/],
      ['data.json', Buffer.from('{"kind":"image"}'), 'application/json', /not a recognised/],
      [
        'logo.svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        'image/svg+xml',
        /SVG/,
      ],
      [
        'logo2.svg',
        Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
        'image/svg+xml',
        /SVG/,
      ],
      ['doc.png', Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n'), 'image/png', /application\/pdf/],
      ['empty.png', new Uint8Array(0), 'image/png', /empty/],
      ['cut.png', truncated, 'image/png', /cannot be decoded/],
    ]
    for (const [name, bytes, type, message] of cases) {
      const response = await upload(bytes, name, { type })
      const error = await errorOf(response)
      expect({ name, status: response.status, code: error.code }).toEqual({
        name,
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
      })
      expect(error.message).toMatch(message)
      expect(await server.services.runtime.assets.exists(sha256(bytes))).toBe(false)
    }
  })

  it('answers 400 without a file field or without a multipart body', async () => {
    const form = new FormData()
    form.set('name', 'nothing attached')
    const missing = await server.fetch('/api/v1/assets', { method: 'POST', as: owner, body: form })
    expect(missing.status).toBe(400)
    expect(await errorOf(missing)).toMatchObject({ code: 'INVALID_UPLOAD', message: expect.stringMatching(/"file"/) })
    const json = await server.fetch('/api/v1/assets', { method: 'POST', as: owner, json: { file: 'aGVsbG8=' } })
    expect(json.status).toBe(400)
    const cut = await server.fetch('/api/v1/assets', {
      method: 'POST',
      as: owner,
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nunfinished',
    })
    expect(cut.status).toBe(400)
    expect((await errorOf(cut)).code).toBe('INVALID_UPLOAD')
  })

  it('lets viewers read but not upload', async () => {
    const refused = await upload(await pngBytes(5, 5), 'v.png', { as: viewer, headers: inDefaultOrg })
    expect(refused.status).toBe(403)
    expect((await errorOf(refused)).code).toBe('FORBIDDEN')
    const asset = await uploaded(await pngBytes(5, 6), 'for-viewers.png')
    for (const path of [`/api/v1/assets/${asset.id}`, `/api/v1/assets/${asset.id}/content`, '/api/v1/assets']) {
      const response = await server.fetch(path, { as: viewer, headers: inDefaultOrg })
      expect({ path, status: response.status }).toEqual({ path, status: 200 })
    }
    const anonymous = await upload(await pngBytes(5, 5), 'a.png', { as: 'anonymous' })
    expect(anonymous.status).toBe(401)
  })
})

describe('upload limits', () => {
  let small: TestServer
  let user: { cookie: string }

  beforeAll(async () => {
    small = await startTestServer({ env: { PATCHBAY_MAX_UPLOAD_BYTES: '20000', PATCHBAY_RATE_LIMIT_UPLOADS: '4' } })
    user = { cookie: (await signUp(small, { email: 'small@example.com' })).cookie }
  }, 60_000)

  afterAll(async () => {
    await small?.close()
  })

  it('refuses files over the size limit with 413, counted while streaming and up front, then rate limits', async () => {
    const slightlyTooLarge = await noisyPng(90, 90)
    expect(slightlyTooLarge.byteLength).toBeGreaterThan(20_000)
    expect(slightlyTooLarge.byteLength).toBeLessThan(20_000 + 64 * 1024)
    const streamed = await upload(slightlyTooLarge, 'big.png', { as: user, on: small })
    expect(streamed.status).toBe(413)
    expect(await errorOf(streamed)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { maxBytes: 20_000 } })
    expect(await small.services.runtime.assets.exists(sha256(slightlyTooLarge))).toBe(false)

    const huge = await noisyPng(400, 400)
    const declared = await upload(huge, 'huge.png', { as: user, on: small })
    expect(declared.status).toBe(413)

    const fits = await upload(await noisyPng(40, 40), 'fits.png', { as: user, on: small })
    expect(fits.status).toBe(201)
    const fourth = await upload(await pngBytes(4, 4), 'fourth.png', { as: user, on: small })
    expect(fourth.status).toBe(201)
    const limited = await upload(await pngBytes(5, 4), 'fifth.png', { as: user, on: small })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('listing assets', () => {
  it('filters by kind and name and pages newest first', async () => {
    const lister = { cookie: (await signUp(server, { email: 'lister@example.com' })).cookie }
    const names = ['sunset.png', 'sunrise.png', 'forest.png']
    for (const [index, name] of names.entries()) await uploaded(await pngBytes(10 + index, 10), name, { as: lister })
    await uploaded(wavBytes(0.5), 'sunny-song.wav', { as: lister })

    const all = await server.fetch('/api/v1/assets', { as: lister })
    const page = (await all.json()) as { items: AssetJson[]; total: number; limit: number; offset: number }
    expect(page).toMatchObject({ total: 4, limit: 50, offset: 0 })
    expect(page.items.map((item) => item.name)).toEqual(['sunny-song.wav', 'forest.png', 'sunrise.png', 'sunset.png'])
    expect(page.items[0]!.url).toContain('/content?org=')

    const images = (await (
      await server.fetch('/api/v1/assets?kind=image&limit=2&offset=1', { as: lister })
    ).json()) as {
      items: AssetJson[]
      total: number
    }
    expect(images.total).toBe(3)
    expect(images.items.map((item) => item.name)).toEqual(['sunrise.png', 'sunset.png'])

    const sunny = (await (await server.fetch('/api/v1/assets?search=SUN', { as: lister })).json()) as {
      items: AssetJson[]
    }
    expect(sunny.items.map((item) => item.name)).toEqual(['sunny-song.wav', 'sunrise.png', 'sunset.png'])

    expect((await server.fetch('/api/v1/assets?kind=text', { as: lister })).status).toBe(400)
    expect((await server.fetch('/api/v1/assets?limit=0', { as: lister })).status).toBe(400)
  })
})

describe('asset content', () => {
  let asset: AssetJson
  let bytes: Buffer

  beforeAll(async () => {
    bytes = await noisyPng(30, 20)
    asset = await uploaded(bytes, 'range.png')
  })

  const content = (init: { headers?: Record<string, string>; as?: Caller } = {}) =>
    server.fetch(`/api/v1/assets/${asset.id}/content`, { as: owner, ...init })

  it('serves the bytes with their type, length, ETag and private caching', async () => {
    const response = await content()
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(bytes.byteLength),
      'accept-ranges': 'bytes',
      etag: `"${sha256(bytes)}"`,
      'cache-control': 'private',
      'content-disposition': expect.stringMatching(/^inline; filename="range.png"/),
    })
    const cached = await content({ headers: { 'if-none-match': `"${sha256(bytes)}"` } })
    expect(cached.status).toBe(304)
    const head = await server.fetch(`/api/v1/assets/${asset.id}/content`, { method: 'HEAD', as: owner })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(bytes.byteLength))
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('answers single byte ranges with 206, and ranges past the end with 416', async () => {
    const size = bytes.byteLength
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=100-', 100, size - 1],
      ['bytes=-25', size - 25, size - 1],
      ['bytes=50-99999999', 50, size - 1],
      [`bytes=-${size + 10}`, 0, size - 1],
    ]
    for (const [range, start, end] of cases) {
      const response = await content({ headers: { range } })
      expect({ range, status: response.status }).toEqual({ range, status: 206 })
      expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/${size}`)
      expect(response.headers.get('content-length')).toBe(String(end - start + 1))
      expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(start, end + 1))
    }
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 9}`, 'bytes=-0']) {
      const response = await content({ headers: { range } })
      expect({ range, status: response.status }).toEqual({ range, status: 416 })
      expect(response.headers.get('content-range')).toBe(`bytes */${size}`)
      expect((await errorOf(response)).code).toBe('RANGE_NOT_SATISFIABLE')
    }
    for (const range of ['bytes=0-1,5-6', 'items=0-5', 'bytes=9-3', 'bytes=x-y']) {
      const response = await content({ headers: { range } })
      expect({ range, status: response.status }).toEqual({ range, status: 200 })
      expect((await response.arrayBuffer()).byteLength).toBe(size)
    }
    const stale = await content({ headers: { range: 'bytes=0-9', 'if-range': '"something-else"' } })
    expect(stale.status).toBe(200)
    await stale.arrayBuffer()
  })

  it('opens for anyone holding a signed link, and refuses tampered or expired ones with 403', async () => {
    const signed = await server.fetch(pathOf(asset.url), { as: 'anonymous' })
    expect(signed.status).toBe(200)
    expect(Buffer.from(await signed.arrayBuffer())).toEqual(bytes)
    const ranged = await server.fetch(pathOf(asset.url), { as: 'anonymous', headers: { range: 'bytes=-4' } })
    expect(ranged.status).toBe(206)
    expect(Buffer.from(await ranged.arrayBuffer())).toEqual(bytes.subarray(-4))

    expect((await server.fetch(`/api/v1/assets/${asset.id}/content`, { as: 'anonymous' })).status).toBe(401)

    const path = pathOf(asset.url)
    const expired = server.services.signer.sign(
      `/api/v1/assets/${asset.id}/content?org=${DEFAULT_ORG_ID}`,
      Date.now() - 24 * 3600_000,
    ).url
    const [strangerOrg] = await server.services.accounts.listOrgsOfUser(stranger.userId)
    const bad = [
      // A different first character (the signature is random: it may start with A).
      path.replace(/sig=(.)(.*)$/, (_all, first, rest) => `sig=${first === 'A' ? 'B' : 'A'}${rest}`),
      path.replace(/sig=.*$/, 'sig='),
      path.replace(/exp=\d+/, (exp) => `exp=${Number(exp.slice(4)) + 60}`),
      path.replace('org=default', `org=${strangerOrg!.id}`),
      path.replace('/content?', '/thumbnail?'),
      `/api/v1/assets/${asset.id}/content?exp=99999999999&sig=abc`,
      expired,
    ]
    for (const link of bad) {
      const response = await server.fetch(link, { as: 'anonymous' })
      expect({ link, status: response.status }).toEqual({ link, status: 403 })
      expect((await errorOf(response)).code).toBe('INVALID_SIGNATURE')
    }
    // A signature is judged on its own: a valid session does not rescue a bad link.
    expect((await server.fetch(bad[0]!, { as: owner })).status).toBe(403)
  })

  it('makes WebP thumbnails of at most 256 px, without enlarging small images', async () => {
    const wide = await uploaded(await noisyPng(600, 300), 'wide.png')
    const response = await server.fetch(pathOf(wide.thumbnailUrl!), { as: 'anonymous' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/webp')
    const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata()
    expect(metadata).toMatchObject({ format: 'webp', width: 256, height: 128 })
    // The second request is served from the cache, with the same bytes.
    const again = await server.fetch(`/api/v1/assets/${wide.id}/thumbnail`, { as: owner })
    expect((await sharp(Buffer.from(await again.arrayBuffer())).metadata()).width).toBe(256)

    const tiny = await uploaded(await pngBytes(16, 9), 'tiny.png')
    const small = await server.fetch(`/api/v1/assets/${tiny.id}/thumbnail`, { as: viewer, headers: inDefaultOrg })
    expect(await sharp(Buffer.from(await small.arrayBuffer())).metadata()).toMatchObject({ width: 16, height: 9 })

    const audio = await uploaded(wavBytes(0.25), 'beep.wav')
    const none = await server.fetch(`/api/v1/assets/${audio.id}/thumbnail`, { as: owner })
    expect(none.status).toBe(415)
    expect((await errorOf(none)).code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })
})

describe('video without ffmpeg', () => {
  it.skipIf(withFfmpeg)('stores video on its magic bytes alone and answers its thumbnail with 503', async () => {
    const asset = await uploaded(hollowMp4(), 'hollow.mp4')
    expect(asset).toMatchObject({ kind: 'video', mime: 'video/mp4' })
    expect(asset.durationMs).toBeUndefined()
    const thumbnail = await server.fetch(`/api/v1/assets/${asset.id}/thumbnail`, { as: owner })
    expect(thumbnail.status).toBe(503)
    expect((await errorOf(thumbnail)).code).toBe('THUMBNAIL_UNAVAILABLE')
  })
})

describe.skipIf(!withFfmpeg)('video and audio uploads', () => {
  it('refuses a file that only looks like video', async () => {
    const hollow = hollowMp4()
    const response = await upload(hollow, 'hollow.mp4')
    expect(response.status).toBe(415)
    expect(await server.services.runtime.assets.exists(sha256(hollow))).toBe(false)
  })

  it('stores a video with its duration and size, and thumbnails a frame of it', async () => {
    const mp4 = await videoFixture({ seconds: 1, width: 64, height: 48, fps: 10 })
    const asset = await uploaded(mp4, 'clip.png', { type: 'image/png' })
    expect(asset).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 64, height: 48 })
    expect(asset.durationMs).toBeGreaterThanOrEqual(900)
    expect(asset.durationMs).toBeLessThanOrEqual(1100)
    const thumbnail = await server.fetch(pathOf(asset.thumbnailUrl!), { as: 'anonymous' })
    expect(thumbnail.status).toBe(200)
    const metadata = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()
    expect(metadata).toMatchObject({ format: 'webp', width: 64, height: 48 })

    const large = await uploaded(await videoFixture({ seconds: 2, width: 640, height: 360 }), 'large.mp4')
    const frame = await server.fetch(`/api/v1/assets/${large.id}/thumbnail`, { as: owner })
    expect(await sharp(Buffer.from(await frame.arrayBuffer())).metadata()).toMatchObject({ width: 256, height: 144 })
  })

  it('stores audio files with their duration', async () => {
    const wav = await audioFixture({ seconds: 1 })
    expect(await uploaded(wav, 'tone.wav')).toMatchObject({ kind: 'audio', mime: 'audio/wav', durationMs: 1000 })
    const mp3 = await audioFixture({ seconds: 1, format: 'mp3' })
    const stored = await uploaded(mp3, 'tone.mp3')
    expect(stored).toMatchObject({ kind: 'audio', mime: 'audio/mpeg' })
    expect(stored.durationMs).toBeGreaterThanOrEqual(1000)
  })
})

describe('the API description', () => {
  it('documents the asset routes, the upload as multipart/form-data', async () => {
    const response = await server.fetch('/api/v1/openapi.json', { as: owner })
    expect(response.status).toBe(200)
    const doc = (await response.json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> }
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/assets',
        '/api/v1/assets/{id}',
        '/api/v1/assets/{id}/content',
        '/api/v1/assets/{id}/thumbnail',
      ]),
    )
    expect(doc.paths['/api/v1/assets']!.post!.requestBody).toMatchObject({
      content: { 'multipart/form-data': { schema: { required: ['file'] } } },
    })
  })
})

describe('deleting and tenancy', () => {
  it('deletes the record, and the bytes once no record shares them', async () => {
    const png = await noisyPng(12, 12)
    const mine = await uploaded(png, 'shared.png')
    const theirs = await uploaded(png, 'shared.png', { as: stranger })
    expect(theirs.id).not.toBe(mine.id)

    const removed = await server.fetch(`/api/v1/assets/${mine.id}`, { method: 'DELETE', as: owner })
    expect(removed.status).toBe(204)
    for (const path of [`/api/v1/assets/${mine.id}`, `/api/v1/assets/${mine.id}/content`]) {
      expect((await server.fetch(path, { as: owner })).status).toBe(404)
    }
    expect((await server.fetch(pathOf(mine.url), { as: 'anonymous' })).status).toBe(404)
    expect(await server.services.runtime.assets.exists(sha256(png))).toBe(true)
    expect((await server.fetch(`/api/v1/assets/${theirs.id}/content`, { as: stranger })).status).toBe(200)

    expect((await server.fetch(`/api/v1/assets/${theirs.id}`, { method: 'DELETE', as: stranger })).status).toBe(204)
    expect(await server.services.runtime.assets.exists(sha256(png))).toBe(false)
    expect((await server.fetch(`/api/v1/assets/${theirs.id}`, { method: 'DELETE', as: stranger })).status).toBe(404)
  })

  it('answers another organisation’s assets with 404, and malformed ids with 400, on every route', async () => {
    const asset = await uploaded(await pngBytes(21, 21), 'private.png')
    for (const [method, path] of [
      ['GET', `/api/v1/assets/${asset.id}`],
      ['GET', `/api/v1/assets/${asset.id}/content`],
      ['GET', `/api/v1/assets/${asset.id}/thumbnail`],
      ['DELETE', `/api/v1/assets/${asset.id}`],
      ['GET', `/api/v1/assets/${asset.id}/content?org=${DEFAULT_ORG_ID}`],
    ] as const) {
      const response = await server.fetch(path, { method, as: stranger })
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 404 })
    }
    expect((await server.fetch(`/api/v1/assets/${asset.id}`, { as: owner })).status).toBe(200)

    for (const [id, status] of [
      ['nope', 404],
      ['x'.repeat(200), 404],
      ['%00', 400],
      ["1' OR '1'='1", 400],
      ['..%2F..%2Fetc%2Fpasswd', 400],
    ] as const) {
      for (const suffix of ['', '/content', '/thumbnail']) {
        const response = await server.fetch(`/api/v1/assets/${id}${suffix}`, { as: owner })
        expect({ id, suffix, status: response.status }).toEqual({ id, suffix, status })
      }
    }
    const tooLong = await server.fetch(`/api/v1/assets/${'x'.repeat(300)}/content`, { as: owner })
    expect(tooLong.status).toBe(400)
  })
})
