import { hashValue, type RunEventBody, type Workflow } from '@patchbay/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { asset, doc, draft, makeNode, makeRun, orgA, orgB, range } from './contract-fixtures.ts'
import type { NodeExecutionRecord, RunRecord, Store } from './store.ts'
import { listingsContract } from './store-listings.contract.ts'
import type { TestStore } from './testing/test-store.ts'
import { usageContract } from './usage.contract.ts'

/**
 * Registers the tests every {@link Store} sibling must pass. `open` gives each test a fresh,
 * empty store.
 */
export function storeContract(open: () => Promise<TestStore>): void {
  let handle: TestStore
  let store: Store

  // Generous: the first PGlite store of a process initialises and migrates a database.
  beforeEach(async () => {
    handle = await open()
    store = handle.store
  }, 60_000)
  afterEach(async () => {
    await handle.close()
  })

  /** Saves a version in `orgId` and commits a run of it. */
  async function startRun(id: string, overrides: Partial<RunRecord> = {}): Promise<RunRecord> {
    const orgId = overrides.orgId ?? orgA
    const version = await store.saveVersion({ id: `v-${id}`, orgId, workflowId: null, document: doc(`wf ${id}`) })
    const run = makeRun(id, version.id, { orgId, ...overrides })
    await store.commit({ runs: [run] })
    return run
  }

  describe('workflows', () => {
    it('creates a workflow and reads it back in its organisation only', async () => {
      const created = await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('first') })
      expect(created).toMatchObject({ id: 'wf-1', orgId: orgA, name: 'first', revision: 1, document: doc('first') })
      expect(created.createdAt).toBeInstanceOf(Date)
      expect(created.updatedAt).toBeInstanceOf(Date)
      expect(await store.getWorkflow(orgA, 'wf-1')).toEqual(created)
      expect(await store.getWorkflow(orgB, 'wf-1')).toBeUndefined()
      expect(await store.getWorkflow(orgA, 'missing')).toBeUndefined()
    })

    it('refuses a second workflow with the same id', async () => {
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('first') })
      await expect(store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('again') })).rejects.toThrow()
    })
  })

  describe('versions', () => {
    it('deduplicates identical documents by hash within an organisation', async () => {
      const workflow = await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('one') })
      const first = await store.saveVersion({ id: 'v1', orgId: orgA, workflowId: workflow.id, document: doc('one') })
      expect(first).toMatchObject({ id: 'v1', orgId: orgA, workflowId: 'wf-1', hash: hashValue(doc('one')) })
      expect(first.document).toEqual(doc('one'))

      const { edges, nodes, inputs, name, schemaVersion } = doc('one')
      const reordered: Workflow = { edges, nodes, inputs, name, schemaVersion }
      const again = await store.saveVersion({ id: 'v2', orgId: orgA, workflowId: null, document: reordered })
      expect(again).toEqual(first)

      const changed = await store.saveVersion({ id: 'v3', orgId: orgA, workflowId: null, document: doc('two') })
      expect(changed.id).toBe('v3')
      const otherOrg = await store.saveVersion({ id: 'v4', orgId: orgB, workflowId: null, document: doc('one') })
      expect(otherOrg).toMatchObject({ id: 'v4', orgId: orgB, hash: first.hash })
    })

    it('reads a version in its organisation only', async () => {
      const saved = await store.saveVersion({ id: 'v1', orgId: orgA, workflowId: null, document: doc('one') })
      expect(await store.getVersion(orgA, 'v1')).toEqual(saved)
      expect(await store.getVersion(orgB, 'v1')).toBeUndefined()
      expect(await store.getVersion(orgA, 'missing')).toBeUndefined()
    })
  })

  describe('runs and events', () => {
    it('reads a run back in its organisation only', async () => {
      const run = await startRun('run-1', { scope: ['a', 'b'], inputs: { prompt: 'hi', n: 2 } })
      expect(await store.getRun(orgA, 'run-1')).toEqual(run)
      expect(await store.getRun(orgB, 'run-1')).toBeUndefined()
      expect(await store.getRun(orgA, 'missing')).toBeUndefined()
    })

    it('upserts runs without disturbing their event numbering', async () => {
      const run = await startRun('run-1')
      await store.commit({ events: [draft('run-1', { type: 'node.queued', nodeId: 'a', attempt: 1 })] })
      const finished: RunRecord = {
        ...run,
        status: 'succeeded',
        outputs: { result: [1, 2] },
        error: null,
        finishedAt: new Date('2030-01-01T00:00:05.000Z'),
      }
      const [event] = await store.commit({
        runs: [finished],
        events: [draft('run-1', { type: 'node.started', nodeId: 'a', attempt: 1 })],
      })
      expect(event?.seq).toBe(2)
      expect(await store.getRun(orgA, 'run-1')).toEqual(finished)
    })

    it('numbers events per run, consecutively, across batches', async () => {
      const version = await store.saveVersion({ id: 'v', orgId: orgA, workflowId: null, document: doc('x') })
      const first = await store.commit({
        runs: [makeRun('r1', version.id), makeRun('r2', version.id)],
        events: [
          draft('r1', { type: 'node.queued', nodeId: 'a', attempt: 1 }),
          draft('r2', { type: 'node.queued', nodeId: 'a', attempt: 1 }),
          draft('r1', { type: 'node.started', nodeId: 'a', attempt: 1 }),
        ],
      })
      expect(first.map((event) => [event.runId, event.seq])).toEqual([
        ['r1', 1],
        ['r2', 1],
        ['r1', 2],
      ])
      const second = await store.commit({
        events: [
          draft('r2', { type: 'node.started', nodeId: 'a', attempt: 1 }),
          draft('r1', { type: 'node.canceled', nodeId: 'a' }),
          draft('r2', { type: 'node.canceled', nodeId: 'a' }),
        ],
      })
      expect(second.map((event) => [event.runId, event.seq])).toEqual([
        ['r2', 2],
        ['r1', 3],
        ['r2', 3],
      ])
      expect((await store.listEvents('r1')).map((event) => event.type)).toEqual([
        'node.queued',
        'node.started',
        'node.canceled',
      ])
    })

    it('round-trips every kind of event exactly as committed', async () => {
      await startRun('run-1')
      const error = { code: 'PROVIDER_ERROR', message: 'rate limited', retryable: true, details: { status: 429 } }
      const bodies: RunEventBody[] = [
        { type: 'run.started', workflowName: 'wf', nodeIds: ['a', 'b'], inputs: { prompt: 'hé "quoted" \\ {x}' } },
        { type: 'node.queued', nodeId: 'a', attempt: 1 },
        { type: 'node.started', nodeId: 'a', attempt: 1 },
        { type: 'node.progress', nodeId: 'a', attempt: 1, progress: 0.5, message: 'halfway' },
        { type: 'node.progress', nodeId: 'a', attempt: 1, progress: null },
        { type: 'node.retrying', nodeId: 'a', attempt: 1, delayMs: 250, error },
        { type: 'node.failed', nodeId: 'a', attempt: 2, error },
        {
          type: 'node.succeeded',
          nodeId: 'b',
          attempt: 1,
          outputs: { text: 'ok', list: [1, null, { deep: true }], n: 1.5 },
          durationMs: 12,
        },
        { type: 'node.cached', nodeId: 'c', outputs: { image: { assetId: 'x', kind: 'image' } } },
        { type: 'node.skipped', nodeId: 'd', reason: 'upstream_failed' },
        { type: 'node.canceled', nodeId: 'e' },
        { type: 'run.finished', status: 'failed', outputs: {}, error, durationMs: 99, cost: 0 },
        { type: 'run.finished', status: 'succeeded', outputs: { out: 'x' }, durationMs: 100, cost: 0.25 },
      ]
      const drafts = bodies.map((body, index) => ({
        ...body,
        runId: 'run-1',
        time: new Date(Date.UTC(2030, 0, 1, 0, 0, index, 123)).toISOString(),
      }))
      const committed = await store.commit({ events: drafts })
      const expected = drafts.map((event, index) => ({ ...event, seq: index + 1 }))
      expect(committed).toStrictEqual(expected)
      expect(await store.listEvents('run-1')).toStrictEqual(expected)
    })

    it('pages through events with afterSeq and limit', async () => {
      await startRun('run-1')
      const events = Array.from({ length: 25 }, (_, index) =>
        draft('run-1', { type: 'node.progress', nodeId: 'a', attempt: 1, progress: index / 25 }),
      )
      await store.commit({ events })
      const seqs = async (afterSeq?: number, limit?: number) =>
        (await store.listEvents('run-1', afterSeq, limit)).map((event) => event.seq)
      expect(await seqs()).toEqual(range(1, 25))
      expect(await seqs(0, 10)).toEqual(range(1, 10))
      expect(await seqs(10, 10)).toEqual(range(11, 20))
      expect(await seqs(20, 10)).toEqual(range(21, 25))
      expect(await seqs(25)).toEqual([])
      expect(await store.listEvents('missing')).toEqual([])
    })

    it('lists unfinished runs across organisations, oldest first', async () => {
      const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second))
      await startRun('done', { status: 'succeeded', createdAt: at(0) })
      await startRun('failed', { status: 'failed', createdAt: at(1) })
      await startRun('canceled', { status: 'canceled', createdAt: at(2) })
      const running = await startRun('running', { status: 'running', createdAt: at(4), orgId: orgB })
      const queued = await startRun('queued', { status: 'queued', createdAt: at(3) })
      expect(await store.listUnfinishedRuns()).toEqual([queued, running])
    })

    it('writes a thousand rows in one batch; lists at most 1000 events by default', async () => {
      await startRun('run-1')
      const nodes = Array.from({ length: 1100 }, (_, index) => makeNode('run-1', `n${index}`))
      const events = nodes.map((node) => draft('run-1', { type: 'node.queued', nodeId: node.nodeId, attempt: 1 }))
      const cache = nodes.map((node) => ({ orgId: orgA, key: `k-${node.nodeId}`, nodeType: 'x', outputs: { v: 1 } }))
      const committed = await store.commit({ nodes, events, cache })
      expect(committed.map((event) => event.seq)).toEqual(range(1, 1100))
      expect(await store.listNodeExecutions('run-1')).toHaveLength(1100)
      expect(await store.listEvents('run-1')).toHaveLength(1000)
      expect(await store.listEvents('run-1', 1090)).toHaveLength(10)
      expect((await store.getCached(orgA, ['k-n0', 'k-n1099'])).size).toBe(2)
    })

    it('accepts an empty batch', async () => {
      expect(await store.commit({})).toEqual([])
    })
  })

  describe('atomic commits', () => {
    it('leaves nothing behind when an event names a missing run', async () => {
      const version = await store.saveVersion({ id: 'v', orgId: orgA, workflowId: null, document: doc('x') })
      await expect(
        store.commit({
          runs: [makeRun('run-1', version.id)],
          nodes: [makeNode('run-1', 'a')],
          events: [
            draft('run-1', { type: 'node.queued', nodeId: 'a', attempt: 1 }),
            draft('ghost', { type: 'node.queued', nodeId: 'a', attempt: 1 }),
          ],
          cache: [{ orgId: orgA, key: 'k', nodeType: 'x', outputs: {} }],
        }),
      ).rejects.toThrow()
      expect(await store.getRun(orgA, 'run-1')).toBeUndefined()
      expect(await store.listNodeExecutions('run-1')).toEqual([])
      expect(await store.listEvents('run-1')).toEqual([])
      expect((await store.getCached(orgA, ['k'])).size).toBe(0)
    })

    it('leaves nothing behind, nor uses up seqs, when a row is invalid', async () => {
      await startRun('run-1')
      await store.commit({ events: [draft('run-1', { type: 'node.queued', nodeId: 'a', attempt: 1 })] })
      const bad = { ...makeNode('run-1', 'b'), status: 'exploded' } as unknown as NodeExecutionRecord
      await expect(
        store.commit({
          nodes: [makeNode('run-1', 'a'), bad],
          events: [draft('run-1', { type: 'node.started', nodeId: 'a', attempt: 1 })],
        }),
      ).rejects.toThrow()
      expect(await store.listNodeExecutions('run-1')).toEqual([])
      const [next] = await store.commit({ events: [draft('run-1', { type: 'node.started', nodeId: 'a', attempt: 1 })] })
      expect(next?.seq).toBe(2)
    })

    it('refuses node rows of a missing run and runs of a missing version', async () => {
      await expect(store.commit({ nodes: [makeNode('ghost', 'a')] })).rejects.toThrow()
      await expect(store.commit({ runs: [makeRun('run-1', 'no-such-version')] })).rejects.toThrow()
      expect(await store.getRun(orgA, 'run-1')).toBeUndefined()
    })

    it('refuses an event with an unreadable time', async () => {
      await startRun('run-1')
      const event = { ...draft('run-1', { type: 'node.canceled', nodeId: 'a' }), time: 'yesterday-ish' }
      await expect(store.commit({ events: [event] })).rejects.toThrow()
      expect(await store.listEvents('run-1')).toEqual([])
    })
  })

  describe('concurrent commits', () => {
    it('give one run unique, consecutive seqs', async () => {
      await startRun('run-1')
      const batches = await Promise.all(
        Array.from({ length: 20 }, (_, batch) =>
          store.commit({
            events: Array.from({ length: 5 }, (_, index) =>
              draft('run-1', { type: 'node.progress', nodeId: `n${batch}`, attempt: 1, progress: index / 5 }),
            ),
          }),
        ),
      )
      for (const events of batches) {
        const seqs = events.map((event) => event.seq)
        expect(seqs).toEqual(range(seqs[0]!, seqs[0]! + 4))
      }
      const all = batches.flat().map((event) => event.seq)
      expect(all.sort((a, b) => a - b)).toEqual(range(1, 100))
      expect((await store.listEvents('run-1')).map((event) => event.seq)).toEqual(range(1, 100))
    })

    it('across several runs, in any order, all succeed', async () => {
      const [a, b] = await Promise.all(['r1', 'r2'].map((id) => startRun(id)))
      // Each batch upserts one run and appends events to the other, so naive locking would deadlock.
      await Promise.all(
        Array.from({ length: 12 }, (_, batch) => {
          const [upserted, other] = batch % 2 === 0 ? [a!, b!] : [b!, a!]
          return store.commit({
            runs: [{ ...upserted, status: 'running' }],
            nodes: [makeNode(other.id, 'shared', { attempt: batch }), makeNode(upserted.id, 'shared')],
            events: [other, upserted].map((run) =>
              draft(run.id, { type: 'node.queued', nodeId: 'shared', attempt: batch }),
            ),
          })
        }),
      )
      for (const run of [a!, b!]) {
        expect((await store.listEvents(run.id)).map((event) => event.seq)).toEqual(range(1, 12))
        expect(await store.listNodeExecutions(run.id)).toHaveLength(1)
        expect((await store.getRun(orgA, run.id))?.status).toBe('running')
      }
    })
  })

  describe('run locks', () => {
    it('serialise read-modify-write steps on one run (no lost or doubled join)', async () => {
      await startRun('run-1')
      await store.commit({ nodes: [makeNode('run-1', 'join', { status: 'pending', attempt: 0 })] })
      // 20 "siblings finish" at once; each reads the join's row under the lock and only the
      // first one to see it pending queues it, exactly as run advancement does.
      const queuedBy = await Promise.all(
        Array.from({ length: 20 }, (_, sibling) =>
          store.withRunLock('run-1', async (locked) => {
            const join = locked.nodes.find((node) => node.nodeId === 'join')!
            await new Promise((resolve) => setTimeout(resolve, 1))
            const counter = locked.nodes.find((node) => node.nodeId === 'counter')
            const done = (counter?.attempt ?? 0) + 1
            const nodes = [makeNode('run-1', 'counter', { status: 'running', attempt: done })]
            const queue = join.status === 'pending' && done === 20
            if (queue) nodes.push({ ...join, status: 'queued', attempt: 1 })
            const events = await locked.commit({
              nodes,
              events: queue ? [draft('run-1', { type: 'node.queued', nodeId: 'join', attempt: 1 })] : [],
            })
            return { sibling, queued: queue, seqs: events.map((event) => event.seq) }
          }),
        ),
      )
      const nodes = await store.listNodeExecutions('run-1')
      expect(nodes.find((node) => node.nodeId === 'counter')?.attempt).toBe(20)
      expect(nodes.find((node) => node.nodeId === 'join')).toMatchObject({ status: 'queued', attempt: 1 })
      expect(queuedBy.filter((result) => result?.queued)).toHaveLength(1)
      expect(await store.listEvents('run-1')).toHaveLength(1)
    })

    it('see the run and its rows, read cached outputs, and skip a missing run', async () => {
      await startRun('run-1', { status: 'running' })
      await store.commit({
        nodes: [makeNode('run-1', 'a', { status: 'succeeded', outputs: { text: 'x' } })],
        cache: [{ orgId: orgA, key: 'k1', nodeType: 'text.template', outputs: { text: 'cached' } }],
      })
      const seen = await store.withRunLock('run-1', async (locked) => ({
        status: locked.run.status,
        nodes: locked.nodes.map((node) => node.nodeId),
        cached: await locked.getCached(orgA, ['k1', 'k2']),
      }))
      expect(seen).toEqual({ status: 'running', nodes: ['a'], cached: new Map([['k1', { text: 'cached' }]]) })
      let called = false
      expect(
        await store.withRunLock('missing', async () => {
          called = true
        }),
      ).toBeUndefined()
      expect(called).toBe(false)
    })

    it('roll back what was committed under the lock when the step throws', async () => {
      await startRun('run-1')
      await expect(
        store.withRunLock('run-1', async (locked) => {
          await locked.commit({ nodes: [makeNode('run-1', 'a')] })
          throw new Error('step failed')
        }),
      ).rejects.toThrow('step failed')
      // The memory store (tests only) applies each commit at once and has nothing to roll back.
      if (store.kind !== 'memory') expect(await store.listNodeExecutions('run-1')).toEqual([])
    })
  })

  describe('stalled work', () => {
    it('lists in-flight nodes of running runs older than the cutoff, and idle running runs', async () => {
      const old = new Date('2030-01-01T00:00:00.000Z')
      const cutoff = new Date('2030-01-01T00:01:00.000Z')
      const recent = new Date('2030-01-01T00:02:00.000Z')
      await startRun('busy', { status: 'running', startedAt: old })
      await startRun('idle', { status: 'running', startedAt: old })
      await startRun('done', { status: 'succeeded', startedAt: old })
      await startRun('young', { status: 'running', startedAt: recent })
      await store.commit({
        nodes: [
          makeNode('busy', 'running-old', { status: 'running', startedAt: old }),
          makeNode('busy', 'running-new', { status: 'running', startedAt: recent }),
          makeNode('busy', 'queued-old', { status: 'queued', queuedAt: old }),
          makeNode('busy', 'queued-later', { status: 'queued', queuedAt: old, notBefore: recent }),
          makeNode('idle', 'finished', { status: 'succeeded', startedAt: old }),
          makeNode('done', 'queued', { status: 'queued', queuedAt: old }),
        ],
      })
      const stalled = await store.listStalledWork(cutoff, 100)
      expect(stalled.nodes.map((node) => `${node.runId}/${node.nodeId}`).sort()).toEqual([
        'busy/queued-old',
        'busy/running-old',
      ])
      expect(stalled.idleRunIds).toEqual(['idle'])
    })
  })

  describe('node executions', () => {
    it('upserts rows, the last write winning', async () => {
      await startRun('run-1')
      await store.commit({ nodes: [makeNode('run-1', 'b'), makeNode('run-1', 'a')] })
      const succeeded = makeNode('run-1', 'a', {
        status: 'succeeded',
        attempt: 2,
        cacheKey: 'key-1',
        params: { prompt: 'hello' },
        inputs: { text: 'in' },
        outputs: { text: 'out', nested: { list: [1, 2] } },
        queuedAt: new Date('2030-01-01T00:00:00.000Z'),
        startedAt: new Date('2030-01-01T00:00:01.000Z'),
        finishedAt: new Date('2030-01-01T00:00:02.500Z'),
        cost: 0.0125,
      })
      const failed = makeNode('run-1', 'b', {
        status: 'failed',
        error: { code: 'BOOM', message: 'boom' },
        notBefore: new Date('2030-01-01T00:01:00.000Z'),
      })
      const skipped = makeNode('run-1', 'c', { status: 'skipped', skipReason: 'branch_inactive' })
      await store.commit({ nodes: [{ ...failed, status: 'running' }, succeeded, failed, skipped] })
      expect(await store.listNodeExecutions('run-1')).toEqual([succeeded, failed, skipped])
      expect(await store.listNodeExecutions('other')).toEqual([])
    })
  })

  describe('node cache', () => {
    it('returns only present keys, scoped to the organisation', async () => {
      await store.commit({
        cache: [
          { orgId: orgA, key: 'k1', nodeType: 'text.prompt', outputs: { text: 'one' } },
          { orgId: orgA, key: 'k2', nodeType: 'text.prompt', outputs: { text: 'two' } },
        ],
      })
      const found = await store.getCached(orgA, ['k1', 'k3'])
      expect([...found]).toEqual([['k1', { text: 'one' }]])
      expect((await store.getCached(orgB, ['k1', 'k2'])).size).toBe(0)
      expect((await store.getCached(orgA, [])).size).toBe(0)

      await store.commit({ cache: [{ orgId: orgA, key: 'k1', nodeType: 'text.prompt', outputs: { text: 'new' } }] })
      expect((await store.getCached(orgA, ['k1'])).get('k1')).toEqual({ text: 'new' })
    })
  })

  describe('assets', () => {
    it('deduplicates by organisation, sha256 and mime', async () => {
      const first = await store.upsertAsset(asset('a1', { width: 640, height: 480 }))
      expect(first).toEqual(asset('a1', { width: 640, height: 480 }))
      expect(await store.upsertAsset(asset('a2'))).toEqual(first)
      const otherMime = await store.upsertAsset(asset('a3', { mime: 'image/webp' }))
      expect(otherMime.assetId).toBe('a3')
      const otherOrg = await store.upsertAsset(asset('a4', { orgId: orgB }))
      expect(otherOrg.assetId).toBe('a4')
      expect(await store.getAsset(orgA, 'a2')).toBeUndefined()
    })

    it('reads an asset in its organisation only', async () => {
      const saved = await store.upsertAsset(asset('a1', { kind: 'audio', mime: 'audio/wav', durationMs: 1234.5 }))
      expect(await store.getAsset(orgA, 'a1')).toEqual(saved)
      expect(await store.getAsset(orgB, 'a1')).toBeUndefined()
    })
  })

  listingsContract(() => store, startRun)
  usageContract(() => store, startRun)

  it('answers a ping while open, and rejects calls once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined()
    await store.close()
    await expect(store.getRun(orgA, 'run-1')).rejects.toThrow()
    await expect(store.ping()).rejects.toThrow()
  })
}
