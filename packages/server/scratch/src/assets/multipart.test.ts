import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/errors.ts'
import { multipartBoundary, readMultipart } from './multipart.ts'

/** Encodes a form the way fetch does, and returns its body and boundary. */
async function encode(form: FormData): Promise<{ body: Buffer; boundary: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form })
  const boundary = multipartBoundary(request.headers.get('content-type') ?? undefined)
  if (!boundary) throw new Error('no boundary')
  return { body: Buffer.from(await request.arrayBuffer()), boundary }
}

/** The bytes as chunks of `size` (the last one shorter). */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.slice(at, at + size)
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  for await (const chunk of body) chunks.push(chunk)
  return Buffer.concat(chunks)
}

async function parts(source: AsyncIterable<Uint8Array>, boundary: string) {
  const found: { name: string; filename: string | undefined; contentType: string | undefined; bytes: Buffer }[] = []
  for await (const part of readMultipart(source, boundary)) {
    found.push({
      name: part.name,
      filename: part.filename,
      contentType: part.contentType,
      bytes: await collect(part.body),
    })
  }
  return found
}

describe('multipartBoundary', () => {
  it('finds the boundary of multipart/form-data only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc')
    expect(multipartBoundary('Multipart/Form-Data;charset=utf-8; BOUNDARY="a b:c"')).toBe('a b:c')
    expect(multipartBoundary('multipart/mixed; boundary=abc')).toBeUndefined()
    expect(multipartBoundary('application/json')).toBeUndefined()
    expect(multipartBoundary('multipart/form-data')).toBeUndefined()
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined()
    expect(multipartBoundary(undefined)).toBeUndefined()
  })
})

describe('readMultipart', () => {
  it('streams files and fields intact however the body is split into chunks', async () => {
    const file = randomBytes(70_000)
    // Bytes that look like the start of a delimiter must pass through as content.
    file.write('\r\n--', 1000, 'latin1')
    const form = new FormData()
    form.set('name', 'Ünïcode name')
    form.set('file', new Blob([file], { type: 'image/png' }), 'photo "1".png')
    form.set('empty', '')
    const { body, boundary } = await encode(form)
    for (const size of [1, 7, 64, body.byteLength]) {
      const found = await parts(chunked(body, size), boundary)
      expect(found.map(({ name, filename, contentType }) => ({ name, filename, contentType }))).toEqual([
        { name: 'name', filename: undefined, contentType: undefined },
        {
          name: 'file',
          filename: expect.stringMatching(/^photo (%22|\\?")1(%22|\\?")\.png$/),
          contentType: 'image/png',
        },
        { name: 'empty', filename: undefined, contentType: undefined },
      ])
      expect(found[0]!.bytes.toString('utf8')).toBe('Ünïcode name')
      expect(found[1]!.bytes.equals(file)).toBe(true)
      expect(found[2]!.bytes.byteLength).toBe(0)
    }
  })

  it('skips the parts a caller does not read, a preamble and an epilogue', async () => {
    const body = Buffer.from(
      'preamble to ignore\r\n--b0undary\r\nContent-Disposition: form-data; name="skipped"\r\n\r\n' +
        "not read\r\n--b0undary  \r\ncontent-disposition: form-data; name=file; filename*=UTF-8''caf%C3%A9.png\r\n\r\n" +
        'the file\r\n--b0undary--\r\nepilogue',
    )
    const names: string[] = []
    let fileBytes = ''
    for await (const part of readMultipart(chunked(body, 5), 'b0undary')) {
      names.push(`${part.name}:${part.filename ?? ''}`)
      if (part.name === 'file') fileBytes = (await collect(part.body)).toString()
    }
    expect(names).toEqual(['skipped:', 'file:café.png'])
    expect(fileBytes).toBe('the file')
  })

  it('refuses truncated and malformed bodies with 400', async () => {
    const cases = [
      '--b\r\nContent-Disposition: form-data; name="file"\r\n\r\nno closing boundary',
      '--b\r\nContent-Disposition: form-data; name="file"\r\nno end of headers',
      '--b\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n--b--',
      '--b\r\nContent-Disposition: attachment; name="x"\r\n\r\nx\r\n--b--',
      '--bXYZ\r\n',
      '',
      `--b\r\nContent-Disposition: form-data; name="file"\r\nX-Long: ${'h'.repeat(20_000)}\r\n\r\nx\r\n--b--`,
    ]
    for (const body of cases) {
      const attempt = parts(chunked(Buffer.from(body), 3), 'b')
      await expect(attempt, body.slice(0, 60)).rejects.toBeInstanceOf(ApiError)
      await expect(attempt).rejects.toMatchObject({ status: 400, code: 'INVALID_UPLOAD' })
    }
  })
})
