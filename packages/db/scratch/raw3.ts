import pg from 'pg'

const c = new pg.Client('postgres://postgres@127.0.0.1:5432/test')
await c.connect()
await c.query(
  `create temp table ne ("run_id" text NOT NULL, "node_id" text NOT NULL, "node_type" text NOT NULL, "status" text NOT NULL, "attempt" integer DEFAULT 0 NOT NULL, "cache_key" text, "params" jsonb, "inputs" jsonb, "outputs" jsonb, "error" jsonb, "skip_reason" text, "queued_at" timestamp with time zone, "started_at" timestamp with time zone, "finished_at" timestamp with time zone, "not_before" timestamp with time zone, "cost" double precision, primary key (run_id, node_id))`,
)
const now = new Date().toISOString()
for (let k = 0; k < 6; k++) {
  const params: unknown[] = []
  const tuples: string[] = []
  for (let i = 0; i < 500; i++) {
    const row = [
      'r' + k,
      `n${i}`,
      'text.prompt',
      'succeeded',
      1,
      `k${i}`,
      JSON.stringify({ prompt: 'hello {{inputs.x}}', width: 512 }),
      JSON.stringify({ text: 'abc' }),
      JSON.stringify({ text: 'out '.repeat(10) }),
      null,
      null,
      now,
      now,
      now,
      null,
      0.01,
    ]
    tuples.push(
      '(' +
        row
          .map((v) => {
            params.push(v)
            return '$' + params.length
          })
          .join(',') +
        ')',
    )
  }
  let t = performance.now()
  await c.query('insert into ne values ' + tuples.join(','), params)
  console.log('values exec', (performance.now() - t).toFixed(1))
  const json = JSON.stringify(
    Array.from({ length: 500 }, (_, i) => ({
      run_id: 'j' + k,
      node_id: `n${i}`,
      node_type: 'text.prompt',
      status: 'succeeded',
      attempt: 1,
      cache_key: `k${i}`,
      params: { prompt: 'hello {{inputs.x}}', width: 512 },
      inputs: { text: 'abc' },
      outputs: { text: 'out '.repeat(10) },
      error: null,
      skip_reason: null,
      queued_at: now,
      started_at: now,
      finished_at: now,
      not_before: null,
      cost: 0.01,
    })),
  )
  t = performance.now()
  await c.query('insert into ne select * from jsonb_populate_recordset(null::ne, $1::jsonb)', [json])
  console.log('json exec', (performance.now() - t).toFixed(1))
}
await c.end()
