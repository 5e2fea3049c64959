import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { toEventRow } from '../src/event-rows.ts'
import { openPostgresStore } from '../src/postgres/postgres-store.ts'
import { nodeExecutions, runEvents } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const admin = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await admin.connect()
await admin.query('drop database if exists explain_db')
await admin.query('create database explain_db template template0')
const st = await openPostgresStore({ url: 'postgres://postgres@127.0.0.1:5432/explain_db' })
await st.close()
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/explain_db')
await c.connect()
await c.query(`insert into workflow_versions (id, org_id, hash, document) values ('v','o','h','{}')`)
const d = new PgDialect()
const now = new Date()
for (let k = 0; k < 4; k++) {
  const runId = 'r' + k
  await c.query(
    `insert into runs (id, org_id, version_id, status, inputs, created_at) values ($1,'o','v','running','{}', now())`,
    [runId],
  )
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
  const events = nodes.map((n, i) =>
    toEventRow(
      {
        type: 'node.succeeded',
        nodeId: n.nodeId,
        attempt: 1,
        outputs: { text: 'out' },
        durationMs: 12,
        runId,
        time: now.toISOString(),
      },
      i + 1,
    ),
  )
  for (const [name, q] of [
    [
      'nodes',
      sql`${bulkInsert(nodeExecutions, Object.keys(nodes[0]!) as any, nodes)} on conflict (run_id, node_id) do update set status = excluded.status`,
    ],
    ['events', bulkInsert(runEvents, Object.keys(events[0]!) as any, events)],
  ] as const) {
    const b = d.sqlToQuery(q)
    await c.query('begin')
    const t = performance.now()
    const r = await c.query('explain (analyze) ' + b.sql, b.params)
    const ms = performance.now() - t
    await c.query('commit')
    if (k >= 2) console.log(name, ms.toFixed(1), '\n' + r.rows.map((x: any) => x['QUERY PLAN']).join('\n'))
  }
}
await c.end()
await admin.query('drop database explain_db')
await admin.end()
