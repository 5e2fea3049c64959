import { PGlite } from '@electric-sql/pglite'
import { PgDialect } from 'drizzle-orm/pg-core'
import { nodeExecutions } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const d = new PgDialect()
const c = await PGlite.create()
await c.query(
  `create table node_executions ("run_id" text NOT NULL, "node_id" text NOT NULL, "node_type" text NOT NULL, "status" text NOT NULL, "attempt" integer DEFAULT 0 NOT NULL, "cache_key" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skip_reason" text, "queued_at" timestamp with time zone, "started_at" timestamp with time zone, "finished_at" timestamp with time zone, "not_before" timestamp with time zone, "cost" double precision, primary key (run_id, node_id))`,
)
const now = new Date()
for (let k = 0; k < 8; k++) {
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
  const t = performance.now()
  await c.query(built.sql, built.params)
  const t1 = performance.now()
  await c.query('select 1 where $1::text is not null', [built.params.join('')])
  const t2 = performance.now()
  const json = JSON.stringify(
    nodes.map((n) => ({
      run_id: 'j' + k,
      node_id: n.nodeId,
      node_type: n.nodeType,
      status: n.status,
      attempt: 1,
      cache_key: n.cacheKey,
      params: n.params,
      inputs: n.inputs,
      outputs: n.outputs,
      error: null,
      skip_reason: null,
      queued_at: now,
      started_at: now,
      finished_at: now,
      not_before: null,
      cost: 0.01,
    })),
  )
  await c.query(
    'insert into node_executions select * from jsonb_populate_recordset(null::node_executions, $1::text::jsonb)',
    [json],
  )
  const t3 = performance.now()
  await c.exec(`select 1`)
  const t4 = performance.now()
  console.log(
    'unnest',
    (t1 - t).toFixed(1),
    'send',
    (t2 - t1).toFixed(1),
    'json',
    (t3 - t2).toFixed(1),
    'noop',
    (t4 - t3).toFixed(1),
  )
}
