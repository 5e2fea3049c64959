/** Workflow shapes the benchmarks run. A `salt` makes every run's cache keys new. */

/** `size` text.template nodes, each feeding the next. */
export function chain(size: number, salt: string) {
  const nodes = Array.from({ length: size }, (_, index) => ({
    id: `t${index}`,
    type: 'text.template',
    params: { template: index === 0 ? salt : '{{text}}+' },
  }))
  const edges = nodes.slice(1).map((node, index) => ({
    id: `e${index}`,
    source: `t${index}`,
    sourceHandle: 'text',
    target: node.id,
    targetHandle: 'text',
  }))
  return { schemaVersion: 1, name: `chain of ${size}`, nodes, edges }
}

/** One root, `width` util.wait nodes of `waitMs` in parallel (ids `w0`…), one join. */
export function fanOut(width: number, waitMs: number, salt: string) {
  const waits = Array.from({ length: width }, (_, index) => ({
    id: `w${index}`,
    type: 'util.wait',
    params: { ms: waitMs },
  }))
  return {
    schemaVersion: 1,
    name: `fan-out of ${width}`,
    nodes: [
      { id: 'root', type: 'input.text', params: { value: salt } },
      ...waits,
      { id: 'join', type: 'text.join', params: { separator: ',' } },
    ],
    edges: waits.flatMap((wait) => [
      { id: `in-${wait.id}`, source: 'root', sourceHandle: 'text', target: wait.id, targetHandle: 'value' },
      { id: `out-${wait.id}`, source: wait.id, sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
    ]),
  }
}
