import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { nodeExecutions, runEvents } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const d = new PgDialect()
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await c.connect()
await c.query('drop table if exists ne; drop table if exists ev')
await c.query(`create temp table ne (like pg_temp.x including all)`).catch(() => {})
await c.query(
  `create table ne ("run_id" text NOT NULL, "node_id" text NOT NULL, "node_type" text NOT NULL, "status" text NOT NULL, "attempt" integer DEFAULT 0 NOT NULL, "cache_key" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skip_reason" text, "queued_at" timestamp with time zone, "started_at" timestamp with time zone, "finished_at" timestamp with time zone, "not_before" timestamp with time zone, "cost" double precision, primary key (run_id, node_id))`,
)
const now = new Date()
const runId = 'r'
for (let k = 0; k < 6; k++) {
  const nodes = Array.from({ length: 500 }, (_, i) => ({
    runId: runId + k,
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
  const t = performance.now()
  const q = bulkInsert(nodeExecutions, Object.keys(nodes[0]!) as any, nodes)
  const built = d.sqlToQuery(sql`${q} on conflict do nothing`)
  const t1 = performance.now()
  const text = built.sql.replace('"node_executions"', 'ne')
  await c.query(text, built.params)
  const t2 = performance.now()
  await c
    .query(
      text
        .replace('select * from', 'select * from (select 1) z, lateral (select * from')
        .replace('on conflict', ') w on conflict'),
      built.params,
    )
    .catch((e) => console.log(e.message))
  console.log('build', (t1 - t).toFixed(1), 'exec', (t2 - t1).toFixed(1))
}
const r = await c
  .query(
    `explain (analyze, buffers) insert into ne select * from unnest($1::text::text[], $1::text::text[]) as v(a,b)`,
    ['{}'],
  )
  .catch((e) => console.log(e.message))
await c.query('drop table ne')
await c.end()
