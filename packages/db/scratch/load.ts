import { PGlite } from '@electric-sql/pglite'
import { drizzle } from 'drizzle-orm/pglite'
import { migrate } from 'drizzle-orm/pglite/migrator'
import { migrationsFolder } from '../src/migrations.ts'
let t = performance.now()
const c = await PGlite.create()
await migrate(drizzle({ client: c }), { migrationsFolder })
const dump = await c.dumpDataDir('none')
console.log('template', (performance.now() - t).toFixed(0), dump.size)
const mod = await WebAssembly.compile(await (await import('node:fs/promises')).readFile(new URL('../../../node_modules/@electric-sql/pglite/dist/pglite.wasm', import.meta.url)))
for (let i = 0; i < 4; i++) {
  t = performance.now()
  const d = await PGlite.create({ loadDataDir: dump })
  const t1 = performance.now()
  await migrate(drizzle({ client: d }), { migrationsFolder })
  const t2 = performance.now()
  await d.close()
  const t3 = performance.now()
  const e = await PGlite.create({ loadDataDir: dump, pgliteWasmModule: mod })
  const t4 = performance.now()
  await e.close()
  console.log('load', (t1 - t).toFixed(0), 'migrate', (t2 - t1).toFixed(0), 'close', (t3 - t2).toFixed(0), 'load+module', (t4 - t3).toFixed(0))
}
