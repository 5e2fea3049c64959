import { PGlite } from '@electric-sql/pglite'
import { readFile } from 'node:fs/promises'
const base = new URL('../../../node_modules/@electric-sql/pglite/dist/', import.meta.url)
const c = await PGlite.create()
const dump = await c.dumpDataDir('none')
await c.close()
const mod = await WebAssembly.compile(await readFile(new URL('pglite.wasm', base)))
const fsBundle = new Blob([await readFile(new URL('pglite.data', base))])
for (let i = 0; i < 4; i++) {
  let t = performance.now()
  const d = await PGlite.create({ loadDataDir: dump })
  const t1 = performance.now()
  await d.close()
  t = performance.now()
  const e = await PGlite.create({ loadDataDir: dump, pgliteWasmModule: mod, fsBundle })
  const t2 = performance.now()
  await e.close()
  const t3 = performance.now()
  const f = await PGlite.create({ pgliteWasmModule: mod, fsBundle })
  const t4 = performance.now()
  await f.close()
  console.log('plain', (t1 - t).toFixed(0) , 'cached', (t2 - t).toFixed(0), 'no-load', (t4-t3).toFixed(0))
}
