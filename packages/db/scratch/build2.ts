import { sql } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'

const d = new PgDialect()
const rows = Array.from({ length: 500 }, (_, i) => Array.from({ length: 16 }, (_, j) => `v${i}-${j}`))
for (let i = 0; i < 5; i++) {
  const t = performance.now()
  const q = sql`insert into x values ${sql.join(
    rows.map(
      (r) =>
        sql`(${sql.join(
          r.map((v) => sql`${v}`),
          sql`, `,
        )})`,
    ),
    sql`, `,
  )}`
  const t1 = performance.now()
  const b = d.sqlToQuery(q)
  console.log('build', (t1 - t).toFixed(1), 'toSQL', (performance.now() - t1).toFixed(1), b.params.length)
}
