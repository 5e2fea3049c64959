import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { numberEvents, prepareBatch } from '../src/batch.ts'
import { fromEventRow } from '../src/event-rows.ts'
import { nodeExecutions, runEvents } from '../src/schema.ts'
import { bulkInsert } from '../src/sql/bulk-insert.ts'

const d = new PgDialect()
const now = new Date()
const runId = 'r'
for (let k = 0; k < 10; k++) {
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
  const t0 = performance.now()
  const b = prepareBatch({ nodes, events })
  const t1 = performance.now()
  const rows = numberEvents(b, new Map([[runId, 500]]))
  const t2 = performance.now()
  d.sqlToQuery(sql`${bulkInsert(nodeExecutions, Object.keys(nodes[0]!) as any, b.nodes)} on conflict do nothing`)
  const t3 = performance.now()
  d.sqlToQuery(bulkInsert(runEvents, Object.keys(rows[0]!) as any, rows))
  const t4 = performance.now()
  rows.map(fromEventRow)
  const t5 = performance.now()
  console.log([t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4].map((x) => x.toFixed(2)).join(' '))
}
