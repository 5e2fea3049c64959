import { builtinRegistry, builtinNodes } from '@patchbay/nodes'
import { createTestEngine } from '@patchbay/runtime/testing'
const h = createTestEngine({ nodes: builtinNodes as any, concurrency: 1024 })
const W = 500
const waits = Array.from({ length: W }, (_, i) => ({ id: `w${i}`, type: 'util.wait', params: { ms: 200 } }))
const wf = (salt: string) => ({ schemaVersion: 1, name: 'f', nodes: [{ id: 'root', type: 'input.text', params: { value: salt } }, ...waits, { id: 'join', type: 'text.join', params: {} }],
  edges: waits.flatMap((w) => [{ id: `i${w.id}`, source: 'root', sourceHandle: 'text', target: w.id, targetHandle: 'value' }, { id: `o${w.id}`, source: w.id, sourceHandle: 'value', target: 'join', targetHandle: 'texts' }]) })
for (const s of ['a','b','c']) { const t = performance.now(); await h.run({ workflow: wf(s) }); console.log('memory fan', (performance.now() - t).toFixed(0)) }
const chain = (salt: string) => { const nodes = Array.from({ length: 1000 }, (_, i) => ({ id: `t${i}`, type: 'text.template', params: { template: i === 0 ? salt : '{{text}}+' } }))
  return { schemaVersion: 1, name: 'c', nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: `t${i}`, sourceHandle: 'text', target: n.id, targetHandle: 'text' })) } }
for (const s of ['a','b','c']) { const t = performance.now(); await h.run({ workflow: chain(s) }); console.log('memory chain1000', (performance.now() - t).toFixed(0)) }
await h.close()
