import type { RunEvent } from '@patchbay/core'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunJson } from '../runs/run-json.ts'
import { freshTag, openEvents, waitsWorkflow } from '../runs/testing.ts'
import { call } from '../testing/fixtures.ts'
import { type Caller, signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// Races between the replay and live events differ between an in-process database and a pool.
const databases: ('pglite' | 'postgres')[] = ['pglite']
if (await postgresSuiteEnabled('event streams (postgres)')) databases.push('postgres')

describe.each(databases)('event streams on %s', (database) => {
  let server: TestServer
  let owner: Caller
  let stranger: Caller
  /** Three 300 ms waits: a run of about a second with a dozen events. */
  let steps: string

  beforeAll(async () => {
    server = await startTestServer({ database })
    owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
    stranger = { cookie: (await signUp(server, { email: 'stranger@example.com' })).cookie }
    const workflow = waitsWorkflow('Steps', [300, 300, 300])
    steps = (await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', workflow)).id
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  const startRun = (query = '') =>
    call<RunJson>(server, owner, 'POST', `/api/v1/runs${query}`, { workflowId: steps, inputs: { tag: freshTag() } })

  const stored = (runId: string) => server.services.runtime.store.listEvents(runId, 0, 1000)
  const seqs = (events: RunEvent[]) => events.map((event) => event.seq)
  /** Live listeners the engine holds for a run (its private bus, read to catch leaked subscriptions). */
  const listeners = (runId: string) =>
    (server.services.runtime.engine as unknown as { bus: { byRun: Map<string, Set<unknown>> } }).bus.byRun.get(runId)
      ?.size ?? 0

  describe('GET /runs/{id}/events', () => {
    it('streams every event of a run and ends after run.finished', async () => {
      const run = await startRun()
      const stream = await openEvents(server, `/api/v1/runs/${run.id}/events`, owner)
      expect(stream.response.headers.get('cache-control')).toBe('no-cache')
      const { events, ended } = await stream.read()
      expect(ended).toBe(true)
      expect(events.at(-1)).toMatchObject({
        type: 'run.finished',
        status: 'succeeded',
        outputs: { result: expect.any(String) },
      })
      expect(events).toEqual(await stored(run.id))
      expect(events[0]).toMatchObject({ type: 'run.started', seq: 1, runId: run.id })
    })

    it('resumes with Last-Event-ID: every event exactly once, in order', async () => {
      const run = await startRun()
      const first = await openEvents(server, `/api/v1/runs/${run.id}/events`, owner)
      const before = await first.read((events) =>
        events.some((e) => e.type === 'node.succeeded' && e.nodeId === 'wait'),
      )
      expect(before.ended).toBe(false)
      expect(listeners(run.id)).toBe(1)
      first.close()
      // The server notices and unsubscribes; events keep coming while nobody listens.
      const deadline = Date.now() + 2000
      while (listeners(run.id) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
      expect(listeners(run.id)).toBe(0)
      await new Promise((resolve) => setTimeout(resolve, 350))
      const last = before.events.at(-1) as RunEvent
      const second = await openEvents(server, `/api/v1/runs/${run.id}/events`, owner, {
        'last-event-id': String(last.seq),
      })
      const after = await second.read()
      expect(after.ended).toBe(true)
      const all = [...before.events, ...after.events]
      expect(seqs(all)).toEqual(all.map((_, index) => index + 1))
      expect(all).toEqual(await stored(run.id))
      expect(all.at(-1)?.type).toBe('run.finished')
    })

    it('resumes many times mid-run without losing or repeating an event', async () => {
      const run = await startRun()
      const received: RunEvent[] = []
      for (let round = 0; round < 50; round++) {
        const headers: Record<string, string> = received.length ? { 'last-event-id': String(received.at(-1)?.seq) } : {}
        const stream = await openEvents(server, `/api/v1/runs/${run.id}/events`, owner, headers)
        const count = received.length
        const { events, ended } = await stream.read((events) => events.length >= 1 + (round % 3))
        received.push(...events)
        stream.close()
        if (ended || received.at(-1)?.type === 'run.finished') break
        expect(received.length).toBeGreaterThan(count)
      }
      expect(received.at(-1)?.type).toBe('run.finished')
      expect(received).toEqual(await stored(run.id))
    })

    it('replays a finished run after ?after= and ends at once', async () => {
      const run = await startRun('?wait=30')
      expect(run.status).toBe('succeeded')
      const all = await stored(run.id)
      const started = performance.now()
      const stream = await openEvents(server, `/api/v1/runs/${run.id}/events?after=3`, owner)
      const { events, ended } = await stream.read()
      expect(ended).toBe(true)
      expect(events).toEqual(all.slice(3))
      const whole = await (await openEvents(server, `/api/v1/runs/${run.id}/events`, owner)).read()
      expect(whole.events).toEqual(all)
      const past = await (await openEvents(server, `/api/v1/runs/${run.id}/events?after=9999`, owner)).read()
      expect(past).toEqual({ events: [], ended: true })
      // Three streams that waited for the store poll (1 s each) would take over 3 s.
      expect(performance.now() - started).toBeLessThan(2500)
      // The header wins over the query.
      const both = await openEvents(server, `/api/v1/runs/${run.id}/events?after=1`, owner, {
        'last-event-id': String(all.length - 1),
      })
      expect((await both.read()).events).toEqual(all.slice(-1))
    })

    it('answers JSON errors before the stream starts', async () => {
      const run = await startRun('?wait=30')
      for (const [path, as] of [
        ['/api/v1/runs/no-such-run/events', owner],
        [`/api/v1/runs/${run.id}/events`, stranger],
      ] as const) {
        const response = await server.fetch(path, { as })
        expect(response.status).toBe(404)
        expect(response.headers.get('content-type')).toContain('application/json')
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
      }
      const badId = await server.fetch(`/api/v1/runs/${run.id}/events`, {
        as: owner,
        headers: { 'last-event-id': 'x' },
      })
      expect(badId.status).toBe(400)
      expect((await server.fetch(`/api/v1/runs/${run.id}/events?after=-1`, { as: owner })).status).toBe(400)
      expect((await server.fetch(`/api/v1/runs/${run.id}/events`)).status).toBe(401)
    })
  })

  describe('GET /events', () => {
    it('streams the live events of every run of the organisation, and only of it', async () => {
      const mine = await openEvents(server, '/api/v1/events', owner)
      const theirs = await openEvents(server, '/api/v1/events', stranger)
      const [a, b] = await Promise.all([startRun('?wait=30'), startRun('?wait=30')])
      const { events, ended } = await mine.read(
        (events) => events.filter((event) => event.type === 'run.finished').length === 2,
      )
      expect(ended).toBe(false)
      mine.close()
      for (const run of [a, b]) {
        expect(events.filter((event) => event.runId === run.id)).toEqual(await stored(run.id))
      }
      // The stranger's stream got nothing.
      const anything = theirs.read((events) => events.length > 0).then(({ events }) => events)
      anything.catch(() => {})
      const quiet = new Promise((resolve) => setTimeout(() => resolve('nothing'), 200))
      expect(await Promise.race([anything, quiet])).toBe('nothing')
      theirs.close()
    })
  })
})
