import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { nodeExecutions } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const d = new PgDialect()
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await c.connect()
await c.query(
  `create temp table ne ("run_id" text NOT NULL, "node_id" text NOT NULL, "node_type" text NOT NULL, "status" text NOT NULL, "attempt" integer DEFAULT 0 NOT NULL, "cache_key" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skip_reason" text, "queued_at" timestamp with time zone, "started_at" timestamp with time zone, "finished_at" timestamp with time zone, "not_before" timestamp with time zone, "cost" double precision, primary key (run_id, node_id))`,
)
const now = new Date()
for (let k = 0; k < 4; k++) {
  const nodes = Array.from({ length: 500 }, (_, i) => ({
    runId: 'r' + k,
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
  const built = d.sqlToQuery(bulkInsert(nodeExecutions, Object.keys(nodes[0]!) as any, nodes))
  const text = built.sql.replace('"node_executions"', 'ne')
  let t = performance.now()
  const r = await c.query('explain (analyze) ' + text, built.params)
  console.log('exec', (performance.now() - t).toFixed(1))
  if (k === 3) console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'))
  t = performance.now()
  await c.query('select 1 where $1::text is not null', [built.params.join('')])
  console.log('send-only', (performance.now() - t).toFixed(1), built.params.join('').length)
}
await c.end()
