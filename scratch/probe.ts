import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bootServer } from '@patchbay/server'
const dir = await mkdtemp(join(tmpdir(), 'probe-'))
const server = await bootServer({ version: 'x', env: { PATCHBAY_DATA_DIR: dir, HOST: '127.0.0.1', PORT: '0', PATCHBAY_RATE_LIMIT_RUNS: '0', PATCHBAY_LOG_LEVEL: 'warn', ...(process.env.DB ? { DATABASE_URL: process.env.DB } : {}) } })
const wf = { schemaVersion: 1, name: 'p', inputs: { tag: { type: 'text', default: 'x' } }, nodes: [
  { id: 'in', type: 'input.text', params: { value: '{{inputs.tag}}' } },
  { id: 'say', type: 'text.template', params: { template: 'hello {{text}}' } },
  { id: 'out', type: 'output', params: { name: 'text' } }],
  edges: [{ id: 'e1', source: 'in', sourceHandle: 'text', target: 'say', targetHandle: 'text' },{ id: 'e2', source: 'say', sourceHandle: 'text', target: 'out', targetHandle: 'value' }] }
const { key } = await (await fetch(`${server.url}/api/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'b', role: 'editor' }) })).json() as any
const h = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
const w = await (await fetch(`${server.url}/api/v1/workflows`, { method: 'POST', headers: h, body: JSON.stringify(wf) })).json() as any
const engine = server.services.runtime.engine
const time = async (label: string, f: (i: number) => Promise<unknown>) => {
  for (let i = 0; i < 30; i++) await f(-i)
  const t = performance.now(); const n = 100
  for (let i = 0; i < n; i++) await f(i)
  console.log(label, ((performance.now() - t) / n).toFixed(2), 'ms')
}
let salt = 0
await time('engine direct', async () => { const r = await engine.startRun({ orgId: 'default', workflow: wf, inputs: { tag: `a${salt++}` } }); await engine.waitForRun('default', r.id) })
await time('GET /runs (auth only-ish)', async () => { await (await fetch(`${server.url}/api/v1/runs?limit=1`, { headers: h })).text() })
await time('GET /workflows/id', async () => { await (await fetch(`${server.url}/api/v1/workflows/${w.id}`, { headers: h })).text() })
await time('POST /runs?wait', async () => { await (await fetch(`${server.url}/api/v1/runs?wait=30`, { method: 'POST', headers: h, body: JSON.stringify({ workflowId: w.id, inputs: { tag: `b${salt++}` } }) })).text() })
await server.close()
