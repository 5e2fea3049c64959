/**
 * Where the time of a 500-wide fan-out goes: when the waits were queued, started and
 * finished, and when the last event was delivered, relative to run.started (ms).
 *   node --import tsx bench/fan-out-timeline.ts [postgres://…]
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import { builtinRegistry } from '@patchbay/nodes'
import { openRuntime } from '@patchbay/runtime'

const dataDir = await mkdtemp(join(tmpdir(), 'prof-'))
const runtime = await openRuntime(
  {
    dataDir,
    databaseUrl: process.argv[2],
    concurrency: 1024,
    perRunConcurrency: Infinity,
    fileRoots: [],
    allowPrivateHosts: [],
  },
  { registry: builtinRegistry, purpose: 'prof' },
)
const W = 500
const waits = Array.from({ length: W }, (_, i) => ({ id: `w${i}`, type: 'util.wait', params: { ms: 200 } }))
const wf = (salt: string) => ({
  schemaVersion: 1,
  name: 'f',
  nodes: [
    { id: 'root', type: 'input.text', params: { value: salt } },
    ...waits,
    { id: 'join', type: 'text.join', params: {} },
  ],
  edges: waits.flatMap((w) => [
    { id: `i${w.id}`, source: 'root', sourceHandle: 'text', target: w.id, targetHandle: 'value' },
    { id: `o${w.id}`, source: w.id, sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
  ]),
})
for (const salt of ['a', 'b', 'c']) {
  const seen: { e: RunEvent; at: number }[] = []
  const un = runtime.engine.subscribe('*', (e) => seen.push({ e, at: performance.now() }))
  const t0 = performance.now()
  const run = await runtime.engine.startRun({ workflow: wf(salt + Math.random()) })
  const t1 = performance.now()
  await runtime.engine.waitForRun(run.orgId, run.id)
  const t2 = performance.now()
  un()
  const ev = seen.map(({ e }) => ({ type: e.type, node: 'nodeId' in e ? e.nodeId : undefined, t: Date.parse(e.time) }))
  const base = ev[0]!.t
  const pick = (type: string, node?: (n: string) => boolean) =>
    ev.filter((x) => x.type === type && (!node || node(x.node ?? ''))).map((x) => x.t - base)
  const w = (n: string) => n.startsWith('w')
  const s = pick('node.started', w),
    d = pick('node.succeeded', w)
  console.log(
    `total ${(t2 - t0).toFixed(0)} startRun ${(t1 - t0).toFixed(0)} | root started ${pick('node.started', (n) => n === 'root')} queued w: ${Math.min(...pick('node.queued', w))}..${Math.max(...pick('node.queued', w))} started w: ${Math.min(...s)}..${Math.max(...s)} done w: ${Math.min(...d)}..${Math.max(...d)} join started ${pick('node.started', (n) => n === 'join')} finished ${pick('run.finished')} | delivered last event at ${(seen.at(-1)!.at - t0).toFixed(0)}`,
  )
}
await runtime.close()
