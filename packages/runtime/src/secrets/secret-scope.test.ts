import { NodeError } from '@patchbay/core'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestEngine, echoKeyNode, recordingLogger, type TestEngine } from '../testing/index.ts'
import { REDACTED, SecretForms, secretForms } from './secret-forms.ts'
import { MAX_ATTEMPT_SECRETS, recordCredentials, SecretScope } from './secret-scope.ts'

describe('SecretScope', () => {
  it('scrubs the values looked up inside it, in raw, URL- and JSON-escaped forms', async () => {
    const value = 'proxy key/with "quotes"+plus'
    const lookup = recordCredentials({ get: async () => value })
    const scope = new SecretScope()
    expect(await scope.run(() => lookup.get('org_a', 'KEY'))).toBe(value)
    const text = `raw ${value} url ${encodeURIComponent(value)} json ${JSON.stringify(value)}`
    expect(scope.scrub(text)).toBe(`raw ${REDACTED} url ${REDACTED} json "${REDACTED}"`)
    expect(scope.scrubValue({ error: new Error(`bad ${value}`), list: [value] })).toEqual({
      error: expect.objectContaining({ message: `bad ${REDACTED}` }),
      list: [REDACTED],
    })
  })

  it('keeps concurrent attempts apart: each scrubs only what it looked up', async () => {
    const values: Record<string, string> = { org_a: 'value-of-org-a-1234', org_b: 'value-of-org-b-5678' }
    const lookup = recordCredentials({ get: async (orgId) => values[orgId] })
    const a = new SecretScope()
    const b = new SecretScope()
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1))
    await Promise.all([
      a.run(async () => {
        await tick()
        await lookup.get('org_a', 'KEY')
      }),
      b.run(async () => {
        await lookup.get('org_b', 'KEY')
        await tick()
      }),
    ])
    const line = `${values.org_a} ${values.org_b}`
    expect(a.scrub(line)).toBe(`${REDACTED} ${values.org_b}`)
    expect(b.scrub(line)).toBe(`${values.org_a} ${REDACTED}`)
    // Outside any attempt nothing is recorded anywhere.
    expect(await lookup.get('org_a', 'KEY')).toBe(values.org_a)
  })

  it(`refuses a ${MAX_ATTEMPT_SECRETS + 1}th distinct value instead of handing out one it would not scrub`, async () => {
    let n = 0
    const lookup = recordCredentials({ get: async () => `credential-value-${n++}` })
    const scope = new SecretScope()
    const error = await scope
      .run(async () => {
        for (let index = 0; index <= MAX_ATTEMPT_SECRETS; index++) await lookup.get('org_a', `K${index}`)
      })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(NodeError)
    expect(error).toMatchObject({ code: 'TOO_MANY_CREDENTIALS' })
  })

  it('scrubs outputs at any depth without changing their shape, and leaves clean outputs as they are', async () => {
    const value = 'output-echo-key-91b2c3'
    const scope = new SecretScope()
    await scope.run(() => recordCredentials({ get: async () => value }).get('org_a', 'KEY'))
    let deep: unknown = { leaf: `has ${value}`, n: 1 }
    for (let level = 0; level < 40; level += 1) deep = { level, inner: deep }
    const scrubbed = JSON.stringify(scope.scrubOutputs({ json: deep }))
    expect(scrubbed).not.toContain(value)
    expect(scrubbed).toBe(JSON.stringify({ json: deep }).replace(value, REDACTED))
    const clean = { text: 'nothing secret here', json: { a: [1, 2] } }
    expect(scope.scrubOutputs(clean)).toBe(clean)
  })

  it('accepts a value with a lone surrogate (no URL form) and still scrubs it', () => {
    const value = 'abc\uD800defghij'
    expect(() => secretForms(value)).not.toThrow()
    const forms = new SecretForms()
    forms.add(value)
    expect(forms.scrub(`x ${value} y`)).toBe(`x ${REDACTED} y`)
  })
})

describe('an attempt that meets its own credential in an error', () => {
  const key = 'echoed-proxy-key-7f3a9c2e4b1d'
  const echo = echoKeyNode(key)
  const { logger, lines } = recordingLogger()
  let harness: TestEngine
  afterEach(async () => harness?.close())

  it.each([true, false])('never writes it to an event, a stored row or a log line (fail: %s)', async (fail) => {
    lines.length = 0
    harness = createTestEngine({ nodes: { 'test.echo-key': echo }, logger, progressIntervalMs: 0 })
    const { run, events } = await harness.run({
      workflow: {
        schemaVersion: 1,
        name: 'echo',
        nodes: [{ id: 'echo', type: 'test.echo-key', params: { fail } }],
        edges: [],
      },
    })
    const stored = {
      run: await harness.store.getRun(run.orgId, run.id),
      nodes: await harness.store.listNodeExecutions(run.id),
      events: await harness.store.listEvents(run.id),
    }
    const everything = JSON.stringify({ run, events, stored, lines })
    expect(everything).not.toContain(key)
    expect(everything).not.toContain(encodeURIComponent(key).slice(0, 12))
    expect(lines.length).toBeGreaterThan(0)
    expect(events.map((event) => event.type)).toContain('node.progress')
    if (fail) {
      expect(run.status).toBe('failed')
      expect(events.map((event) => event.type)).toContain('node.retrying')
      expect(stored.nodes[0]?.error?.message).toBe(`Incorrect API key provided: ${REDACTED}`)
      expect(stored.run?.error?.message).toContain(`Incorrect API key provided: ${REDACTED}`)
    } else {
      expect(run.status).toBe('succeeded')
      expect(stored.nodes[0]?.outputs).toEqual({ text: `the proxy said: your key is ${REDACTED}` })
    }
  })
})
