import pg from 'pg'
import { DEFAULT_ORG_ID, type Store } from '../src/index.ts'
import { openPgliteStore } from '../src/pglite/pglite-store.ts'
import { openPostgresStore } from '../src/postgres/postgres-store.ts'

const doc = { schemaVersion: 1 as const, name: 'bench', inputs: {}, nodes: [], edges: [] }

async function bench(store: Store) {
  ;(globalThis as any).laps = []
  const version = await store.saveVersion({ id: 'v1', orgId: DEFAULT_ORG_ID, workflowId: null, document: doc })
  const times: number[] = []
  for (let r = 0; r < 30; r++) {
    const runId = `run-${r}`
    const now = new Date()
    const run = {
      id: runId,
      orgId: DEFAULT_ORG_ID,
      workflowId: null,
      versionId: version.id,
      status: 'running' as const,
      inputs: { a: 1 },
      scope: null,
      outputs: null,
      error: null,
      createdAt: now,
      startedAt: now,
      finishedAt: null,
    }
    await store.commit({ runs: [run] })
    const nodes = Array.from({ length: 500 }, (_, i) => ({
      runId,
      nodeId: `n${i}`,
      nodeType: 'text.prompt',
      status: 'succeeded' as const,
      attempt: 1,
      cacheKey: `k${i}`,
      params: { prompt: 'hello {{inputs.x}}', width: 512 },
      inputs: { text: 'abc' },
      outputs: { text: 'out '.repeat(10) },
      error: null,
      skipReason: null,
      queuedAt: now,
      startedAt: now,
      finishedAt: now,
      notBefore: null,
      cost: 0.01,
    }))
    const events = nodes.map((n) => ({
      type: 'node.succeeded' as const,
      nodeId: n.nodeId,
      attempt: 1,
      outputs: { text: 'out' },
      durationMs: 12,
      runId,
      time: now.toISOString(),
    }))
    const t = performance.now()
    await store.commit({ runs: [run], nodes, events })
    times.push(performance.now() - t)
    console.log((globalThis as any).laps.join(' '))
    ;(globalThis as any).laps = []
  }
  
  const sorted = times.slice(2).sort((a, b) => a - b)
  console.log(store.kind, 'median', sorted[Math.floor(sorted.length / 2)]!.toFixed(1), 'p10', sorted[Math.floor(sorted.length / 10)]!.toFixed(1), 'min', sorted[0]!.toFixed(1), 'ms')
}

let t = performance.now()
if (!process.env.NOPGLITE) {
  const p = await openPgliteStore({})
  console.log('pglite open', (performance.now() - t).toFixed(0))
  await bench(p)
  await p.close()
}

const admin = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await admin.connect()
await admin.query('drop database if exists bench_db')
await admin.query('create database bench_db template template0')
t = performance.now()
const s0 = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/bench_db' })
await s0.close()
if (process.env.NOFK) {
  const c = new pg.Client('postgres://postgres@127.0.0.1:5432/bench_db')
  await c.connect()
  await c.query(
    'alter table run_events drop constraint run_events_run_id_runs_id_fk; alter table node_executions drop constraint node_executions_run_id_runs_id_fk',
  )
  await c.end()
}
const s = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/bench_db' })
console.log('postgres open', (performance.now() - t).toFixed(0))
await bench(s)
await s.close()
await admin.query('drop database bench_db')
await admin.end()
