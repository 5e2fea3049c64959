import { describe, expect, it } from 'vitest'
import { MAX_OPERATOR_SECRETS, REDACTED, SecretRedactor } from './redactor.ts'

const b64url = (length: number, seed = 'Ab3_-x9Z') => seed.repeat(Math.ceil(length / seed.length)).slice(0, length)

describe('SecretRedactor.redact', () => {
  it.each([
    ['OpenAI', `sk-${b64url(48)}`],
    ['OpenAI project', `sk-proj-${b64url(120)}`],
    ['Anthropic', `sk-ant-api03-${b64url(90)}`],
    ['Google', `AIza${b64url(35)}`],
    ['Replicate', `r8_${'aB3dE6gH9j'.repeat(4).slice(0, 37)}`],
    ['Patchbay API key', `pbk_${b64url(43)}`],
  ])('removes a %s key wherever it sits in the text', (_, key) => {
    const redactor = new SecretRedactor()
    for (const text of [key, `key=${key}`, `calling with ${key}.`, `{"k":"${key}"}`, `(${key})`]) {
      const out = redactor.redact(text)
      expect(out).not.toContain(key.slice(4, 20))
      expect(out).toContain(REDACTED)
    }
  })

  it('removes Authorization-like credentials but keeps the scheme', () => {
    const redactor = new SecretRedactor()
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'
    expect(redactor.redact(`Authorization: Bearer ${token}`)).toBe('Authorization: Bearer [redacted]')
    expect(redactor.redact(`sent bearer ${token} upstream`)).toBe('sent bearer [redacted] upstream')
    expect(redactor.redact('Basic dXNlcjpwYXNzd29yZA==')).toBe('Basic [redacted]')
    const fal = 'a1b2c3d4-0000-4000-8000-123456789abc:0123456789abcdef0123456789abcdef'
    expect(redactor.redact(`Key ${fal}`)).toBe('Key [redacted]')
    expect(redactor.redact(`authorization=Key ${fal}`)).toBe('authorization=Key [redacted]')
    expect(redactor.redact(`{"authorization":"Bearer ${token}"}`)).toBe('{"authorization":"Bearer [redacted]"}')
    expect(redactor.redact('x-api-key: 0123456789abcdef')).toBe('x-api-key: [redacted]')
  })

  it('leaves prose about keys alone', () => {
    const redactor = new SecretRedactor()
    for (const text of [
      'Basic authentication is disabled',
      'Key rotation finished: 3 resealed',
      'the bearer token expired',
      'missing api key for provider openai',
      'task-0123456789abcdefghij finished',
      'pbk_AbCd is the prefix',
      'tokens=512 cost=0.02',
    ]) {
      expect(redactor.redact(text)).toBe(text)
    }
  })

  it('removes key=, api_key=, token= and signature query values', () => {
    const redactor = new SecretRedactor()
    expect(redactor.redact('GET https://generativelanguage.googleapis.com/v1/models?key=abc123&alt=sse failed')).toBe(
      'GET https://generativelanguage.googleapis.com/v1/models?key=[redacted]&alt=sse failed',
    )
    expect(redactor.redact('/x?api_key=s3cr3t&token=t0k3n#frag')).toBe('/x?api_key=[redacted]&token=[redacted]#frag')
    expect(redactor.redact('https://bucket.s3/x.png?X-Amz-Signature=deadbeef&X-Amz-Expires=60')).toBe(
      'https://bucket.s3/x.png?X-Amz-Signature=[redacted]&X-Amz-Expires=60',
    )
    expect(redactor.redact('monkey=banana')).toBe('monkey=banana')
  })

  it('removes registered values of any shape, longest first, with URL- and JSON-escaped forms', () => {
    const redactor = new SecretRedactor()
    redactor.add('plain-secret')
    redactor.add('plain-secret-longer')
    redactor.add('p@ss word/+"quoted"')
    redactor.add('short')
    expect(redactor.redact('a plain-secret-longer b plain-secret c')).toBe('a [redacted] b [redacted] c')
    expect(redactor.redact(`u=${encodeURIComponent('p@ss word/+"quoted"')}`)).toBe('u=[redacted]')
    expect(redactor.redact(JSON.stringify({ v: 'p@ss word/+"quoted"' }))).toBe('{"v":"[redacted]"}')
    expect(redactor.redact('a short word')).toBe('a short word')
  })

  it('treats registered values as literals, not patterns', () => {
    const redactor = new SecretRedactor()
    redactor.add('a.b*c+d?e')
    expect(redactor.redact('aXbbbcdde and a.b*c+d?e')).toBe('aXbbbcdde and [redacted]')
  })

  it('picks up values added after it was first used', () => {
    const redactor = new SecretRedactor()
    expect(redactor.redact('value-one value-two')).toBe('value-one value-two')
    redactor.add('value-one')
    expect(redactor.redact('value-one value-two')).toBe('[redacted] value-two')
    redactor.add('value-two')
    expect(redactor.redact('value-one value-two')).toBe('[redacted] [redacted]')
  })

  it('accepts a value with a lone surrogate instead of throwing a URIError, and still removes it', () => {
    const redactor = new SecretRedactor()
    const value = 'lone\uD800surrogate-value'
    expect(() => redactor.add(value)).not.toThrow()
    expect(redactor.redact(`got ${value}.`)).toBe(`got ${REDACTED}.`)
  })

  it('holds a bounded set of operator secrets and refuses to grow past it', () => {
    const redactor = new SecretRedactor()
    for (let index = 0; index < MAX_OPERATOR_SECRETS; index++) redactor.add(`operator-secret-${index}`)
    expect(() => redactor.add('one-value-too-many')).toThrow(/operator secrets/)
    // Adding a value it holds already is not growth.
    expect(() => redactor.add('operator-secret-0')).not.toThrow()
  })

  it('redacts a long line in time proportional to the line, however long the registered values', () => {
    const redactor = new SecretRedactor()
    // The largest values a credential may hold, as many as the bound allows.
    for (let index = 0; index < MAX_OPERATOR_SECRETS; index++) redactor.add(`${index}:${'x'.repeat(16_380)}`)
    const line = `node failed: ${'provider said no; '.repeat(2_000)}`
    const started = performance.now()
    for (let index = 0; index < 100; index++) redactor.redact(line)
    // Old code compiled one regular expression of every value (64 × 16 KB) on the first line.
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('SecretRedactor.redactValue', () => {
  it('redacts strings at any depth and returns copies', () => {
    const redactor = new SecretRedactor()
    redactor.add('registered-value')
    const key = `sk-${b64url(40)}`
    const input = {
      count: 3,
      ok: true,
      missing: null,
      nested: { list: ['registered-value', { deep: `Bearer ${key}` }], when: new Date(0) },
      url: new URL(`https://api.example.com/v1?key=${key}`),
    }
    const out = redactor.redactValue(input)
    expect(out).toEqual({
      count: 3,
      ok: true,
      missing: null,
      nested: { list: [REDACTED, { deep: `Bearer ${REDACTED}` }], when: '1970-01-01T00:00:00.000Z' },
      url: `https://api.example.com/v1?key=${REDACTED}`,
    })
    expect(input.nested.list[0]).toBe('registered-value')
    expect(out).not.toBe(input)
  })

  it('turns errors into plain objects with redacted messages, stacks and causes', () => {
    const redactor = new SecretRedactor()
    redactor.add('registered-value')
    const cause = new Error('upstream said registered-value is invalid')
    const error = Object.assign(new TypeError('request with registered-value failed', { cause }), { status: 401 })
    const out = redactor.redactValue({ error }) as { error: Record<string, unknown> }
    expect(out.error).toMatchObject({ type: 'TypeError', message: `request with ${REDACTED} failed`, status: 401 })
    expect(out.error.stack).toContain(REDACTED)
    expect(JSON.stringify(out)).not.toContain('registered-value')
    expect(out.error.cause).toMatchObject({ message: `upstream said ${REDACTED} is invalid` })
  })

  it('survives cycles', () => {
    const redactor = new SecretRedactor()
    const node: Record<string, unknown> = { name: 'a' }
    node.self = node
    expect(redactor.redactValue(node)).toEqual({ name: 'a', self: '[circular]' })
  })
})
