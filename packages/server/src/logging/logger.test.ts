import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.ts'
import { REDACTED, SecretRedactor } from './redactor.ts'

function capture(level = 'debug') {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk))
      done()
    },
  })
  const redactor = new SecretRedactor()
  const created = createLogger({ level, destination, redactor })
  const output = () => lines.join('')
  const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  return { ...created, redactor, output, records }
}

const registered = 'vault-value-Zq81!xT'
const openAiKey = `sk-proj-${'Q2x9_aB7'.repeat(8)}`

describe('createLogger', () => {
  it('never writes a registered secret or an sk- key, whichever way they are logged', () => {
    const { pino, logger, redactor, output, records } = capture()
    redactor.add(registered)
    logger.info(`calling provider with ${registered}`, { key: openAiKey, nested: { list: [registered] } })
    logger.error('provider failed', { error: new Error(`401 for key ${openAiKey}`) })
    pino.warn('interpolated %s and %j', registered, { openAiKey })
    pino.error(new Error(`thrown with ${registered}`))
    pino.error({ err: new Error(`carried ${openAiKey}`) })
    pino
      .child({ request: `Bearer ${openAiKey}` })
      .child({ password: 'hunter2', note: registered })
      .info('child binding')
    const text = output()
    expect(text).not.toContain(registered)
    expect(text).not.toContain(openAiKey)
    expect(text).not.toContain(openAiKey.slice(8, 24))
    const [first, second, third, fourth, fifth, sixth] = records()
    expect(first).toMatchObject({ level: 30, msg: `calling provider with ${REDACTED}`, key: REDACTED })
    expect(second).toMatchObject({
      msg: 'provider failed',
      error: { type: 'Error', message: `401 for key ${REDACTED}` },
    })
    expect(third?.msg).toContain(`interpolated ${REDACTED}`)
    expect(fourth).toMatchObject({ msg: `thrown with ${REDACTED}`, err: { message: `thrown with ${REDACTED}` } })
    expect(fifth).toMatchObject({ msg: `carried ${REDACTED}` })
    expect(sixth).toMatchObject({
      request: `Bearer ${REDACTED}`,
      password: REDACTED,
      note: REDACTED,
      msg: 'child binding',
    })
  })

  it('censors authorization headers, cookies and secret-named fields', () => {
    const { pino, logger, records } = capture()
    pino.info({
      req: { method: 'GET', headers: { authorization: 'Bearer abc', cookie: 'session=1', accept: '*/*' } },
      res: { headers: { 'set-cookie': 'session=2' } },
    })
    logger.info('login', { password: 'hunter2', user: { apiKey: 'abcdef', name: 'ada' } })
    logger.info('deep', {
      a: { b: { c: { token: 'deep-token', tokens: 12 } } },
      credential: { name: 'X', value: 'v1' },
    })
    const [request, login, deep] = records()
    expect(request).toMatchObject({
      req: { method: 'GET', headers: { authorization: REDACTED, cookie: REDACTED, accept: '*/*' } },
      res: { headers: { 'set-cookie': REDACTED } },
    })
    expect(login).toMatchObject({ password: REDACTED, user: { apiKey: REDACTED, name: 'ada' } })
    expect(deep).toMatchObject({
      a: { b: { c: { token: REDACTED, tokens: 12 } } },
      credential: { name: 'X', value: REDACTED },
    })
  })

  it('honours the level and adapts the four runtime levels', () => {
    const { logger, records } = capture('warn')
    logger.debug('d')
    logger.info('i')
    logger.warn('w', { n: 1 })
    logger.error('e')
    expect(records().map((record) => [record.level, record.msg])).toEqual([
      [40, 'w'],
      [50, 'e'],
    ])
  })

  it('rejects an unknown level', () => {
    expect(() => createLogger({ level: 'verbose', redactor: new SecretRedactor() })).toThrow(
      /unknown log level "verbose"/,
    )
  })
})
