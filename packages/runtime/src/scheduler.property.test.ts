import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createTestEngine, Probe, probeNodes } from './testing/index.ts'

/**
 * Random DAGs through the real engine (memory Store, in-process queue), checked against a
 * reference model of the scheduling rules written independently of `decide`.
 */
type Kind = 'ok' | 'fail' | 'branchA' | 'branchB' | 'need'
interface Dag {
  kinds: Kind[]
  sleeps: number[]
  edges: { source: number; target: number; handle: string }[]
}

const dagArbitrary = fc.integer({ min: 1, max: 22 }).chain((size) =>
  fc
    .record({
      kinds: fc.array(fc.constantFrom<Kind>('ok', 'ok', 'ok', 'fail', 'branchA', 'branchB', 'need'), {
        minLength: size,
        maxLength: size,
      }),
      sleeps: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: size, maxLength: size }),
      pairs: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: size * 2 }),
    })
    .map(({ kinds, sleeps, pairs }): Dag => {
      const edges: Dag['edges'] = []
      for (const [a, b, pickA] of pairs) {
        const source = Math.min(a % size, b % size)
        const target = Math.max(a % size, b % size)
        if (source === target) continue
        const kind = kinds[source]
        const handle = kind === 'branchA' || kind === 'branchB' ? (pickA ? 'a' : 'b') : 'out'
        // A required single input takes one edge only.
        if (kinds[target] === 'need' && edges.some((edge) => edge.target === target)) continue
        edges.push({ source, target, handle })
      }
      // A required input with no edge would not validate: such nodes become plain steps.
      const fixed = kinds.map((kind, index) =>
        kind === 'need' && !edges.some((e) => e.target === index) ? 'ok' : kind,
      )
      return { kinds: fixed, sleeps, edges }
    }),
)

function toWorkflow(dag: Dag, extraRoots = 0) {
  const specs: Record<Kind, (index: number) => { type: string; params: Record<string, unknown> }> = {
    ok: (index) => ({ type: 'test.step', params: { ms: dag.sleeps[index], cacheable: false } }),
    fail: () => ({ type: 'test.step', params: { failTimes: 99, cacheable: false } }),
    branchA: () => ({ type: 'test.branch', params: { take: 'a' } }),
    branchB: () => ({ type: 'test.branch', params: { take: 'b' } }),
    need: () => ({ type: 'test.need', params: {} }),
  }
  const nodes = dag.kinds.map((kind, index) => ({ id: `n${index}`, ...specs[kind](index) }))
  for (let index = 0; index < extraRoots; index++) {
    nodes.push({ id: `wide${index}`, type: 'test.step', params: { ms: 15, cacheable: false } })
  }
  const edges = dag.edges.map((edge, index) => ({
    id: `e${index}`,
    source: `n${edge.source}`,
    sourceHandle: edge.handle,
    target: `n${edge.target}`,
    targetHandle: 'in',
  }))
  return { schemaVersion: 1, name: 'random', nodes, edges }
}

/** The rules, stated directly: node statuses in index order (edges only go forward). */
function expectedStatuses(dag: Dag): { status: string; reason?: string }[] {
  const result: { status: string; reason?: string }[] = []
  const produces = (source: number, handle: string) => {
    const kind = dag.kinds[source]
    return kind === 'branchA' ? handle === 'a' : kind === 'branchB' ? handle === 'b' : true
  }
  dag.kinds.forEach((kind, target) => {
    const incoming = dag.edges.filter((edge) => edge.target === target)
    const upstreamFailed = incoming.some((edge) => {
      const source = result[edge.source]
      return source?.status === 'failed' || source?.reason === 'upstream_failed'
    })
    const active = incoming.filter(
      (edge) => result[edge.source]?.status === 'succeeded' && produces(edge.source, edge.handle),
    )
    if (upstreamFailed) result.push({ status: 'skipped', reason: 'upstream_failed' })
    else if (incoming.length > 0 && active.length === 0) result.push({ status: 'skipped', reason: 'branch_inactive' })
    else result.push({ status: kind === 'fail' ? 'failed' : 'succeeded' })
  })
  return result
}

describe('scheduler properties (random DAGs)', () => {
  it('runs each node at most once, after its inputs, with exact skip and failure propagation', async () => {
    const probe = new Probe()
    const harness = createTestEngine({ nodes: probeNodes(probe) })
    try {
      await fc.assert(
        fc.asyncProperty(dagArbitrary, async (dag) => {
          probe.reset()
          const { run } = await harness.run({ workflow: toWorkflow(dag) })
          const records = new Map((await harness.store.listNodeExecutions(run.id)).map((r) => [r.nodeId, r]))
          const expected = expectedStatuses(dag)
          const actual = dag.kinds.map((_, index) => {
            const record = records.get(`n${index}`)
            return { status: record?.status, ...(record?.skipReason ? { reason: record.skipReason } : {}) }
          })
          expect(actual).toEqual(expected)
          expect(run.status).toBe(expected.some((node) => node.status === 'failed') ? 'failed' : 'succeeded')

          const starts = probe.starts(run.id)
          expected.forEach((node, index) => {
            const ran = node.status === 'succeeded' || node.status === 'failed'
            expect(starts.get(`n${index}`) ?? 0).toBe(ran ? 1 : 0)
          })
          const order = (nodeId: string, phase: 'start' | 'end') =>
            probe.log.find((entry) => entry.nodeId === nodeId && entry.phase === phase)?.order ?? -1
          for (const edge of dag.edges) {
            const target = `n${edge.target}`
            if (!starts.has(target) || records.get(`n${edge.source}`)?.status !== 'succeeded') continue
            expect(order(`n${edge.source}`, 'end')).toBeLessThan(order(target, 'start'))
          }
        }),
        { numRuns: 80 },
      )
    } finally {
      await harness.close()
    }
  })

  it('never exceeds the concurrency limit and reaches it when work allows', async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, fc.integer({ min: 1, max: 5 }), async (dag, limit) => {
        const probe = new Probe()
        const harness = createTestEngine({ nodes: probeNodes(probe), concurrency: limit })
        try {
          const { run } = await harness.run({ workflow: toWorkflow(dag, limit) })
          expect(run.status).not.toBe('canceled')
          expect(probe.maxRunning).toBe(limit)
        } finally {
          await harness.close()
        }
      }),
      { numRuns: 40 },
    )
  })
})
