import { createRegistry } from '@patchbay/core'
import { openStore } from '@patchbay/db'
import { createTestDatabase, postgresSuiteEnabled, type TestDatabase } from '@patchbay/db/testing'
import { MemoryAssetStore } from '@patchbay/storage'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { BullmqQueue } from '../queue/bullmq-queue.ts'
import { echoKeyNode, recordingLogger } from '../testing/echo-key-node.ts'
import { redisPrefixForTest, redisSuiteEnabled, redisUrlForTests } from '../testing/redis-for-tests.ts'
import { ClusterEngine } from './cluster-engine.ts'
import { EventRelay } from './event-relay.ts'

const enabled =
  (await postgresSuiteEnabled('cluster secret scope')) && (await redisSuiteEnabled('cluster secret scope'))

// The worker records an attempt's outcome through the same `runAttempt` as the embedded
// engine: a key the provider echoed never reaches the worker's logs, the events or the rows.
const key = 'echoed-by-a-proxy-9d2f61c0ab'
const echo = echoKeyNode(key)

describe.skipIf(!enabled)('cluster worker (PostgreSQL + BullMQ)', () => {
  let database: TestDatabase
  let redis: ReturnType<typeof redisPrefixForTest>
  const closers: (() => Promise<void>)[] = []

  beforeEach(async () => {
    database = await createTestDatabase()
    redis = redisPrefixForTest()
  }, 60_000)

  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
    await redis.drop()
    await database.drop()
  }, 60_000)

  it('scrubs an echoed credential from the error, events, rows and log lines', async () => {
    const { logger, lines } = recordingLogger()
    const store = await openStore({ databaseUrl: database.url, dataDir: '' })
    const queue = new BullmqQueue({
      redisUrl: redisUrlForTests(),
      prefix: redis.prefix,
      concurrency: 4,
      leaseMs: 30_000,
      logger: silentLogger,
    })
    const relay = new EventRelay({ redisUrl: redisUrlForTests(), prefix: redis.prefix, logger: silentLogger })
    const engine = new ClusterEngine({
      store,
      assets: new MemoryAssetStore(),
      registry: createRegistry({ 'test.echo-key': echo }),
      queue,
      relay,
      executes: true,
      logger,
      progressIntervalMs: 0,
      sweepIntervalMs: 60_000,
    })
    await engine.start()
    closers.push(async () => {
      await engine.close()
      await store.close()
    })
    const run = await engine.startRun({
      workflow: {
        schemaVersion: 1,
        name: 'echo',
        nodes: [{ id: 'echo', type: 'test.echo-key', params: {} }],
        edges: [],
      },
    })
    const finished = await engine.waitForRun('default', run.id)
    expect(finished.status).toBe('failed')
    const events = await store.listEvents(run.id, 0, 1000)
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['node.progress', 'node.retrying']))
    const nodes = await store.listNodeExecutions(run.id)
    expect(nodes[0]?.error?.message).toBe('Incorrect API key provided: [redacted]')
    const everything = JSON.stringify({ finished, stored: await store.getRun('default', run.id), events, nodes, lines })
    expect(everything).not.toContain(key)
    expect(lines.length).toBeGreaterThan(0)
  }, 60_000)
})
