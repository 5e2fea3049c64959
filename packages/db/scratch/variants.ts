import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import pg from 'pg'
import { nodeExecutions } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const d = new PgDialect()
const ddl = `create table ne ("run_id" text NOT NULL, "node_id" text NOT NULL, "node_type" text NOT NULL, "status" text NOT NULL, "attempt" integer DEFAULT 0 NOT NULL, "cache_key" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skip_reason" text, "queued_at" timestamp with time zone, "started_at" timestamp with time zone, "finished_at" timestamp with time zone, "not_before" timestamp with time zone, "cost" double precision, primary key (run_id, node_id))`
const cols = `"runId" text, "nodeId" text, "nodeType" text, "status" text, "attempt" integer, "cacheKey" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skipReason" text, "queuedAt" timestamptz, "startedAt" timestamptz, "finishedAt" timestamptz, "notBefore" timestamptz, "cost" double precision`
const sel = `"runId", "nodeId", "nodeType", "status", "attempt", "cacheKey", "params", "inputs", "outputs", "error", "skipReason", "queuedAt", "startedAt", "finishedAt", "notBefore", "cost"`
async function run(name: string, q: (text: string, params: unknown[]) => Promise<unknown>) {
  await q('drop table if exists ne', [])
  await q(ddl, [])
  const res: Record<string, number[]> = { unnest: [], jsonb: [], json: [] }
  const now = new Date()
  for (let k = 0; k < 15; k++) {
    for (const v of ['unnest', 'jsonb', 'json'] as const) {
      const runId = `${v}${k}`
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
      const t = performance.now()
      if (v === 'unnest') {
        const b = d.sqlToQuery(bulkInsert(nodeExecutions, Object.keys(nodes[0]!) as any, nodes))
        await q(b.sql.replace('"node_executions"', 'ne'), b.params)
      } else {
        await q(`insert into ne select ${sel} from ${v}_to_recordset($1::text::${v}) as v(${cols})`, [
          JSON.stringify(nodes),
        ])
      }
      res[v]!.push(performance.now() - t)
    }
  }
  for (const [v, xs] of Object.entries(res)) {
    const s = xs.slice(3).sort((a, b) => a - b)
    console.log(name, v, 'median', s[Math.floor(s.length / 2)]!.toFixed(1), 'min', s[0]!.toFixed(1))
  }
}
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await c.connect()
await run('pg', (t, p) => c.query(t, p))
await c.query('drop table ne')
await c.end()
const l = await PGlite.create()
await run('pglite', (t, p) => l.query(t, p))
