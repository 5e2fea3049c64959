import { createRegistry, type RunEvent, UnavailableError, type Workflow } from '@patchbay/core'
import { openStore, type Store } from '@patchbay/db'
import { createTestDatabase, postgresSuiteEnabled, type TestDatabase } from '@patchbay/db/testing'
import { MemoryAssetStore } from '@patchbay/storage'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../logger.ts'
import { BullmqQueue } from '../queue/bullmq-queue.ts'
import { Probe, probeNodes } from '../testing/probe-nodes.ts'
import { redisPrefixForTest, redisSuiteEnabled, redisUrlForTests } from '../testing/redis-for-tests.ts'
import { ClusterEngine, type ClusterEngineOptions } from './cluster-engine.ts'
import { EventRelay } from './event-relay.ts'

const enabled = (await postgresSuiteEnabled('cluster engine')) && (await redisSuiteEnabled('cluster engine'))

const probe = new Probe()
const registry = createRegistry(probeNodes(probe))

interface Process {
  engine: ClusterEngine
  queue: BullmqQueue
  store: Store
}

describe.skipIf(!enabled)('cluster engine (PostgreSQL + BullMQ)', () => {
  let database: TestDatabase
  let redis: ReturnType<typeof redisPrefixForTest>
  const processes: Process[] = []
  const assets = new MemoryAssetStore()

  beforeEach(async () => {
    probe.reset()
    database = await createTestDatabase()
    redis = redisPrefixForTest()
  }, 60_000)

  afterEach(async () => {
    await Promise.all(processes.splice(0).map(stop))
    await redis.drop()
    await database.drop()
  }, 60_000)

  /** One process of the deployment: an API (executes nothing) or a worker. */
  async function open(
    executes: boolean,
    options: Partial<ClusterEngineOptions> & {
      resourceLimits?: Record<string, number>
      leaseMs?: number
      maxConnections?: number
    } = {},
  ): Promise<Process> {
    const store = await openStore({ databaseUrl: database.url, dataDir: '', maxConnections: options.maxConnections })
    const queue = new BullmqQueue({
      redisUrl: redisUrlForTests(),
      prefix: redis.prefix,
      concurrency: executes ? 16 : 0,
      leaseMs: options.leaseMs ?? 30_000,
      logger: silentLogger,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    })
    const relay = new EventRelay({ redisUrl: redisUrlForTests(), prefix: redis.prefix, logger: silentLogger })
    const engine = new ClusterEngine({
      store,
      assets,
      registry,
      queue,
      relay,
      executes,
      sweepIntervalMs: 60_000,
      staleAfterMs: 500,
      ...options,
    })
    await engine.start()
    const process = { engine, queue, store }
    processes.push(process)
    return process
  }

  async function stop(process: Process): Promise<void> {
    await process.engine.close()
    await process.store.close()
  }

  it('spreads one run over several workers; every node runs once, the join once', async () => {
    const api = await open(false)
    await open(true)
    await open(true)
    const run = await api.engine.startRun({ workflow: fanIn(12, 20) })
    const finished = await api.engine.waitForRun('default', run.id)
    expect(finished.status).toBe('succeeded')
    const starts = probe.starts(run.id)
    expect(starts.size).toBe(15)
    expect([...starts.values()].every((count) => count === 1)).toBe(true)
    const events = await api.store.listEvents(run.id, 0, 10_000)
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
    expect(countOf(events, 'node.queued', 'join')).toBe(1)
    expect(countOf(events, 'node.succeeded')).toBe(15)
    expect(events.at(-1)?.type).toBe('run.finished')
  }, 60_000)

  it('dispatches a join exactly once when its siblings finish at the same moment', async () => {
    const api = await open(false)
    await open(true)
    await open(true)
    await open(true)
    const runs = await Promise.all(Array.from({ length: 8 }, () => api.engine.startRun({ workflow: fanIn(30, 0) })))
    for (const run of runs) {
      expect((await api.engine.waitForRun('default', run.id)).status).toBe('succeeded')
      const events = await api.store.listEvents(run.id, 0, 10_000)
      expect(countOf(events, 'node.queued', 'join')).toBe(1)
      expect(probe.starts(run.id).get('join')).toBe(1)
    }
  }, 90_000)

  it('streams every event of a run to a process that did not run it', async () => {
    const api = await open(false)
    await open(true)
    const heard: RunEvent[] = []
    const run = await api.engine.startRun({ workflow: fanIn(3, 10), onEvent: (event) => heard.push(event) })
    await api.engine.waitForRun('default', run.id)
    await waitUntil(() => heard.some((event) => event.type === 'run.finished'))
    const stored = await api.store.listEvents(run.id, 0, 10_000)
    // Pub/sub carries them live; run.started was committed before anyone could hear it.
    expect(new Set(heard.map((event) => event.seq)).size).toBeGreaterThanOrEqual(stored.length - 1)
  }, 60_000)

  it('holds a per-resource limit across the whole fleet', async () => {
    const limits = { resourceLimits: { gpu: 2 } }
    const api = await open(false, limits)
    await open(true, limits)
    await open(true, limits)
    const nodes = Array.from({ length: 8 }, (_, index) => ({
      id: `g${index}`,
      type: 'test.step',
      params: { ms: 150, resource: 'gpu', cacheable: false },
    }))
    const run = await api.engine.startRun({ workflow: { schemaVersion: 1, name: 'gpu', nodes, edges: [] } })
    expect((await api.engine.waitForRun('default', run.id)).status).toBe('succeeded')
    expect(probe.maxRunning).toBeLessThanOrEqual(2)
    expect(probe.starts(run.id).size).toBe(8)
  }, 60_000)

  it('cancels a run: attempts running on workers are aborted', async () => {
    const api = await open(false)
    await open(true)
    const run = await api.engine.startRun({
      workflow: { schemaVersion: 1, name: 'slow', nodes: [{ id: 'slow', type: 'test.step', params: { ms: 30_000 } }] },
    })
    await waitUntil(() => probe.running === 1)
    const canceled = await api.engine.cancelRun('default', run.id)
    expect(canceled.status).toBe('canceled')
    await waitUntil(() => probe.running === 0)
    expect((await api.store.getRun('default', run.id))?.status).toBe('canceled')
  }, 60_000)

  it('retries on another worker an attempt whose worker vanished, once its lease lapses', async () => {
    const api = await open(false)
    const doomed = await open(true, { leaseMs: 1000 })
    const run = await api.engine.startRun({
      workflow: {
        schemaVersion: 1,
        name: 'lease',
        nodes: [{ id: 'n', type: 'test.step', params: { ms: 4000, ignoreSignal: true, cacheable: false } }],
      },
    })
    await waitUntil(() => probe.running === 1)
    // The worker stops renewing its lease without a word, as a killed process would.
    await forceCloseWorkers(doomed.queue)
    await open(true, { leaseMs: 1000 })
    const finished = await api.engine.waitForRun('default', run.id)
    expect(finished.status).toBe('succeeded')
    const events = await api.store.listEvents(run.id, 0, 10_000)
    const retried = events.find((event) => event.type === 'node.retrying')
    expect(retried).toMatchObject({ error: { code: 'WORKER_LOST' } })
    expect(countOf(events, 'node.succeeded')).toBe(1)
  }, 60_000)

  it('the sweeper re-sends a task that never reached Redis', async () => {
    const api = await open(false)
    const run = await api.engine.startRun({ workflow: fanIn(2, 0) })
    const runId = run.id
    // Lose every queued job, as if the sender died between its commit and sending.
    for (const node of await api.store.listNodeExecutions(run.id)) {
      if (node.status === 'queued') await api.queue.removeJob({ runId, nodeId: node.nodeId, attempt: node.attempt })
    }
    await open(true)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(await api.engine.recover()).toEqual([run.id])
    expect((await api.engine.waitForRun('default', run.id)).status).toBe('succeeded')
  }, 60_000)

  it('survives the database dropping every connection mid-run', async () => {
    const api = await open(false)
    await open(true)
    const nodes = Array.from({ length: 6 }, (_, index) => ({
      id: `n${index}`,
      type: 'test.step',
      params: { ms: 400, cacheable: false },
    }))
    const run = await api.engine.startRun({ workflow: { schemaVersion: 1, name: 'db loss', nodes, edges: [] } })
    await waitUntil(() => probe.running > 0)
    // Every connection of every process to this database is cut, as a failover would.
    const admin = new pg.Client({ connectionString: database.url })
    await admin.connect()
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    )
    await admin.end()
    // Steps that failed with their connection are repaired by the sweeper (here: on demand).
    const deadline = Date.now() + 30_000
    let current = await api.store.getRun('default', run.id).catch(() => undefined)
    while (current?.status !== 'succeeded' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 700))
      await api.engine.recover().catch(() => [])
      current = await api.store.getRun('default', run.id).catch(() => undefined)
    }
    expect(current?.status).toBe('succeeded')
    const events = await api.store.listEvents(run.id, 0, 10_000)
    expect(countOf(events, 'node.succeeded')).toBe(6)
  }, 120_000)

  it('a stopping worker hands back what did not finish within its grace period', async () => {
    const api = await open(false)
    const leaving = await open(true, { shutdownGraceMs: 200 })
    const run = await api.engine.startRun({
      workflow: {
        schemaVersion: 1,
        name: 'grace',
        nodes: [{ id: 'n', type: 'test.step', params: { ms: 2000, cacheable: false } }],
      },
    })
    await waitUntil(() => probe.running === 1)
    const closing = leaving.engine.close()
    await open(true)
    await closing
    expect((await api.engine.waitForRun('default', run.id)).status).toBe('succeeded')
    const events = await api.store.listEvents(run.id, 0, 10_000)
    expect(events.find((event) => event.type === 'node.retrying')).toMatchObject({ error: { code: 'WORKER_SHUTDOWN' } })
  }, 60_000)

  it('claims with a cold graph cache on a one-connection pool (never two connections at once)', async () => {
    // Reading the version under the run's lock once took a second connection while holding the
    // first: with as many cold claims as the pool has connections, every checkout timed out.
    const api = await open(false)
    await open(true, { maxConnections: 1 })
    const runs = await Promise.all(
      [1, 2, 3].map((index) => api.engine.startRun({ workflow: { ...fanIn(3, 0), name: `cold ${index}` } })),
    )
    for (const run of runs) expect((await api.engine.waitForRun('default', run.id)).status).toBe('succeeded')
  }, 60_000)

  it('refuses to start a run while Redis is out of reach, storing nothing', async () => {
    const api = await open(false)
    vi.spyOn(api.queue, 'reachable', 'get').mockReturnValue(false)
    await expect(api.engine.startRun({ workflow: fanIn(1, 0) })).rejects.toBeInstanceOf(UnavailableError)
    expect((await api.store.listRuns({ orgId: 'default', limit: 10, offset: 0 })).total).toBe(0)
  }, 60_000)
})

/** `a` → `width` parallel steps of `ms` each → `join` → `end`. */
function fanIn(width: number, ms: number): Workflow {
  const siblings = Array.from({ length: width }, (_, index) => `s${index}`)
  return {
    schemaVersion: 1,
    name: 'fan-in',
    inputs: {},
    nodes: [
      { id: 'a', type: 'test.step', params: { cacheable: false } },
      ...siblings.map((id) => ({ id, type: 'test.step', params: { ms, cacheable: false } })),
      { id: 'join', type: 'test.step', params: { cacheable: false } },
      { id: 'end', type: 'test.step', params: { cacheable: false } },
    ],
    edges: [
      ...siblings.map((id) => ({ id: `a-${id}`, source: 'a', sourceHandle: 'out', target: id, targetHandle: 'in' })),
      ...siblings.map((id) => ({
        id: `${id}-join`,
        source: id,
        sourceHandle: 'out',
        target: 'join',
        targetHandle: 'in',
      })),
      { id: 'join-end', source: 'join', sourceHandle: 'out', target: 'end', targetHandle: 'in' },
    ],
  } as Workflow
}

function countOf(events: RunEvent[], type: RunEvent['type'], nodeId?: string): number {
  return events.filter((event) => event.type === type && (!nodeId || ('nodeId' in event && event.nodeId === nodeId)))
    .length
}

async function waitUntil(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Closes the queue's BullMQ workers without waiting or releasing their jobs' locks. */
async function forceCloseWorkers(queue: BullmqQueue): Promise<void> {
  // biome-ignore lint/complexity/useLiteralKeys: reaches into private state to simulate a crash
  await Promise.all(queue['workers'].map((worker) => worker.close(true)))
}
