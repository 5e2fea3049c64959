import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { nodeExecutions, runEvents } from '../src/schema.ts'

const db = drizzle.mock()
const now = new Date()
const runId = 'r'
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
for (let i = 0; i < 5; i++) {
  const t = performance.now()
  const q = db
    .insert(nodeExecutions)
    .values(nodes)
    .onConflictDoUpdate({
      target: [nodeExecutions.runId, nodeExecutions.nodeId],
      set: { status: sql.raw('excluded.status') },
    })
  const t1 = performance.now()
  const built = q.toSQL()
  console.log(
    'build',
    (t1 - t).toFixed(1),
    'toSQL',
    (performance.now() - t1).toFixed(1),
    built.params.length,
    built.sql.length,
  )
}
