/**
 * API benchmark, over loopback HTTP against the whole server (`bootServer`, as `patchbay start`
 * runs it), on the embedded PGlite and on PostgreSQL:
 *
 *  1. run throughput: autocannon `POST /api/v1/runs?wait=30` of a 3-node workflow
 *     (input.text → text.template → output) with an API key; each request starts a run and
 *     holds until it has finished. A fresh input per request keeps the cache out of it.
 *  2. SSE fan-out: 500 clients follow one run's `/runs/{id}/events`; how long after the run's
 *     `run.finished` is committed each client has it, and whether every client got every event.
 *
 *   npm run bench:api
 *   PATCHBAY_BENCH_DATABASES=pglite npm run bench:api     # pglite, postgres (when reachable)
 *   PATCHBAY_BENCH_DURATION=5 PATCHBAY_BENCH_CONNECTIONS=20 PATCHBAY_BENCH_SUBSCRIBERS=1000 npm run bench:api
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { createTestDatabase, isPostgresReachable, postgresUrlForTests } from '@patchbay/db/testing'
import { type BootedServer, bootServer } from '@patchbay/server'

const DURATION_S = Number(process.env.PATCHBAY_BENCH_DURATION ?? 15)
const CONNECTIONS = Number(process.env.PATCHBAY_BENCH_CONNECTIONS ?? 10)
const SUBSCRIBERS = Number(process.env.PATCHBAY_BENCH_SUBSCRIBERS ?? 500)
/** The fan-out run: a first wait long enough for every subscriber to connect, then short steps. */
const FAN_OUT_WAITS = [8000, 200, 200, 200]

/** The part of autocannon's (untyped) API used here. */
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number }
  requests: { average: number }
  duration: number
  errors: number
  timeouts: number
  non2xx: number
  statusCodeStats: Record<string, { count: number }>
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon

const threeNodes = {
  schemaVersion: 1,
  name: 'bench: three nodes',
  inputs: { tag: { type: 'text', default: 'x' } },
  nodes: [
    { id: 'in', type: 'input.text', params: { value: '{{inputs.tag}}' } },
    { id: 'say', type: 'text.template', params: { template: 'hello {{text}}' } },
    { id: 'out', type: 'output', params: { name: 'text' } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourceHandle: 'text', target: 'say', targetHandle: 'text' },
    { id: 'e2', source: 'say', sourceHandle: 'text', target: 'out', targetHandle: 'value' },
  ],
}

function waits(ms: number[]) {
  const nodes: unknown[] = [{ id: 'in', type: 'input.text', params: { value: '{{inputs.tag}}' } }]
  const edges: unknown[] = []
  ms.forEach((wait, index) => {
    nodes.push({ id: `w${index}`, type: 'util.wait', params: { ms: wait } })
    const source = index === 0 ? { id: 'in', port: 'text' } : { id: `w${index - 1}`, port: 'value' }
    edges.push({
      id: `e${index}`,
      source: source.id,
      sourceHandle: source.port,
      target: `w${index}`,
      targetHandle: 'value',
    })
  })
  nodes.push({ id: 'out', type: 'output', params: { name: 'value' } })
  edges.push({ id: 'e-out', source: `w${ms.length - 1}`, sourceHandle: 'value', target: 'out', targetHandle: 'value' })
  return { schemaVersion: 1, name: 'bench: waits', inputs: { tag: { type: 'text', default: 'x' } }, nodes, edges }
}

interface Client {
  url: string
  headers: Record<string, string>
  call<T>(method: string, path: string, body?: unknown): Promise<T>
}

/** The server as `patchbay start` builds it, on a free port, with an editor API key. */
async function boot(databaseUrl: string | undefined): Promise<{ server: BootedServer; client: Client; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'patchbay-bench-api-'))
  const server = await bootServer({
    version: 'bench',
    env: {
      PATCHBAY_DATA_DIR: dir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      HOST: '127.0.0.1',
      PORT: '0',
      PATCHBAY_RATE_LIMIT_RUNS: '0',
      PATCHBAY_LOG_LEVEL: 'warn',
      PATCHBAY_MASTER_KEY: randomBytes(32).toString('base64'),
    },
  })
  const call = async <T>(method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`)
    return JSON.parse(text) as T
  }
  // Local mode (loopback) makes this anonymous request the owner; the benchmark then uses the key.
  const { key } = await call<{ key: string }>('POST', '/api-keys', { name: 'bench', role: 'editor' }, {})
  const headers = { authorization: `Bearer ${key}` }
  return {
    server,
    dir,
    client: { url: server.url, headers, call: (method, path, body) => call(method, path, body, headers) },
  }
}

async function runThroughput(client: Client, server: BootedServer) {
  const measured = await client.call<{ id: string }>('POST', '/workflows', threeNodes)
  const warmUp = await client.call<{ id: string }>('POST', '/workflows', { ...threeNodes, name: 'bench: warm-up' })
  const options = {
    url: `${client.url}/api/v1/runs?wait=30`,
    method: 'POST',
    headers: { ...client.headers, 'content-type': 'application/json' },
    connections: CONNECTIONS,
    // Its own thread, so the load generator does not compete with the server for the event loop.
    workers: 1,
    // autocannon puts a fresh id in place of [<id>] in every request: no two runs share a cache key.
    idReplacement: true,
  }
  const body = (workflowId: string) => JSON.stringify({ workflowId, inputs: { tag: '[<id>]' } })
  await autocannon({ ...options, body: body(warmUp.id), duration: 2 })
  const result = await autocannon({ ...options, body: body(measured.id), duration: DURATION_S })
  const count = async (status: 'failed') =>
    (
      await server.services.runtime.store.listRuns({
        orgId: DEFAULT_ORG_ID,
        workflowId: measured.id,
        status,
        limit: 1,
        offset: 0,
      })
    ).total
  return {
    result,
    finished: result.statusCodeStats['200']?.count ?? 0,
    failed: await count('failed'),
  }
}

/**
 * Follows one run's events. `done` resolves with when `run.finished` arrived, `replayedAt` is
 * when the first (replayed) event did (performance.now()).
 */
async function subscribe(client: Client, runId: string) {
  const response = await fetch(`${client.url}/api/v1/runs/${runId}/events`, { headers: client.headers })
  if (response.status !== 200) throw new Error(`subscriber got ${response.status}`)
  const events: RunEvent[] = []
  const subscriber = { events, replayedAt: Number.NaN, done: Promise.resolve<number | undefined>(undefined) }
  subscriber.done = (async () => {
    const decoder = new TextDecoder()
    let buffered = ''
    for await (const chunk of response.body as ReadableStream<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true })
      let end = buffered.indexOf('\n\n')
      while (end !== -1) {
        const data = buffered
          .slice(0, end)
          .split('\n')
          .find((line) => line.startsWith('data: '))
        buffered = buffered.slice(end + 2)
        end = buffered.indexOf('\n\n')
        if (!data) continue
        const event = JSON.parse(data.slice(6)) as RunEvent
        if (events.push(event) === 1) subscriber.replayedAt = performance.now()
        if (event.type === 'run.finished') return performance.now()
      }
    }
    return undefined
  })()
  return subscriber
}

async function fanOut(client: Client, server: BootedServer) {
  const workflow = await client.call<{ id: string }>('POST', '/workflows', waits(FAN_OUT_WAITS))
  const run = await client.call<{ id: string }>('POST', '/runs', {
    workflowId: workflow.id,
    inputs: { tag: `${Date.now()}` },
  })
  // When the server publishes run.finished (after its commit), in this process's clock.
  let publishedAt = 0
  const stop = server.services.runtime.engine.subscribe(run.id, (event) => {
    if (event.type === 'run.finished') publishedAt = performance.now()
  })
  const connecting = performance.now()
  const subscribers = await Promise.all(Array.from({ length: SUBSCRIBERS }, () => subscribe(client, run.id)))
  const received = await Promise.all(subscribers.map((subscriber) => subscriber.done))
  // Until the last one had its replay under way (it then streams live).
  const connectMs = Math.max(...subscribers.map((subscriber) => subscriber.replayedAt)) - connecting
  stop()
  const stored = await server.services.runtime.store.listEvents(run.id, 0, 1000)
  const expected = JSON.stringify(stored.map((event) => event.seq))
  const complete = subscribers.filter((s) => JSON.stringify(s.events.map((event) => event.seq)) === expected).length
  const lags = received.filter((at): at is number => at !== undefined).map((at) => at - publishedAt)
  return { connectMs, complete, events: stored.length, lags, finished: lags.length }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN
}
const ms = (value: number) => `${value.toFixed(1)} ms`.padStart(10)

const rows: {
  name: string
  throughput: Awaited<ReturnType<typeof runThroughput>>
  fan: Awaited<ReturnType<typeof fanOut>>
}[] = []

async function benchmark(name: string, databaseUrl: string | undefined) {
  const { server, client, dir } = await boot(databaseUrl)
  try {
    process.stdout.write(`${name}: runs for ${DURATION_S} s… `)
    const throughput = await runThroughput(client, server)
    process.stdout.write(`fan-out to ${SUBSCRIBERS}… `)
    const fan = await fanOut(client, server)
    process.stdout.write('done\n')
    rows.push({ name, throughput, fan })
  } finally {
    await server.close()
    await rm(dir, { recursive: true, force: true })
  }
}

const wanted = (process.env.PATCHBAY_BENCH_DATABASES ?? 'pglite,postgres').split(',')
console.log(`Patchbay API benchmark · node ${process.version} · ${new Date().toISOString()}`)
if (wanted.includes('pglite')) await benchmark('PGlite (embedded)', undefined)
if (wanted.includes('postgres')) {
  if (await isPostgresReachable()) {
    const database = await createTestDatabase()
    try {
      await benchmark('PostgreSQL', database.url)
    } finally {
      await database.drop()
    }
  } else console.log(`PostgreSQL: skipped (nothing answers at ${postgresUrlForTests()})`)
}

console.log(
  `\nPOST /api/v1/runs?wait=30 · ${threeNodes.nodes.length}-node workflow · ${CONNECTIONS} connections · ${DURATION_S} s`,
)
console.log(
  'database              runs/s   latency p50   latency p99   200 (finished)   other status   errors   failed runs',
)
for (const { name, throughput } of rows) {
  const { result, finished, failed } = throughput
  const others = Object.entries(result.statusCodeStats)
    .filter(([code]) => code !== '200')
    .map(([code, { count }]) => `${code}×${count}`)
  console.log(
    `${name.padEnd(18)} ${(finished / result.duration).toFixed(1).padStart(9)} ${ms(result.latency.p50).padStart(13)} ${ms(result.latency.p99).padStart(13)}` +
      ` ${String(finished).padStart(16)} ${(others.join(' ') || '0').padStart(14)} ${String(result.errors + result.timeouts).padStart(8)} ${String(failed).padStart(13)}`,
  )
}
console.log(
  '  runs/s: requests answered 200 (run finished) per second; each holds its connection for the whole run. ' +
    'Failed runs: runs of the measured workflow the store has as failed (must be 0).',
)

console.log(`\nSSE fan-out · ${SUBSCRIBERS} clients on one run's /events · waits ${FAN_OUT_WAITS.join(' → ')} ms`)
console.log('database            all following   every event   got run.finished   lag p50    lag p99    lag max')
for (const { name, fan } of rows) {
  console.log(
    `${name.padEnd(18)} ${ms(fan.connectMs).padStart(13)} ${`${fan.complete}/${SUBSCRIBERS} (${fan.events})`.padStart(13)}` +
      ` ${`${fan.finished}/${SUBSCRIBERS}`.padStart(18)} ${ms(percentile(fan.lags, 50))} ${ms(percentile(fan.lags, 99))} ${ms(Math.max(...fan.lags))}`,
  )
}
console.log(
  `  all following: from opening the ${SUBSCRIBERS} requests to the last one receiving its first (replayed) event; ` +
    `if it exceeds the first wait (${FAN_OUT_WAITS[0]} ms), late clients' lag includes their connecting`,
)
console.log(
  '  lag: from the server publishing run.finished (after its commit) to each client having parsed it; ' +
    'clients share the server’s process and event loop',
)
