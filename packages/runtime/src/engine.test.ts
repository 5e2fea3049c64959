import { ValidationError, type Workflow } from '@patchbay/core'
import { MemoryStore } from '@patchbay/db'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from './logger.ts'
import { createTestEngine, Probe, probeNodes, type TestEngine } from './testing/index.ts'

type NodeSpec = { id: string; type?: string; params?: Record<string, unknown> }

function workflow(nodes: NodeSpec[], edges: [string, string, string?, string?][], extra: Partial<Workflow> = {}) {
  return {
    schemaVersion: 1,
    name: 'test',
    nodes: nodes.map((node) => ({ id: node.id, type: node.type ?? 'test.step', params: node.params ?? {} })),
    edges: edges.map(([source, target, sourceHandle = 'out', targetHandle = 'in'], index) => ({
      id: `e${index}`,
      source,
      sourceHandle,
      target,
      targetHandle,
    })),
    ...extra,
  }
}

const probe = new Probe()
let harness: TestEngine
const setup = (options: Parameters<typeof createTestEngine>[0] extends infer O ? Partial<O> : never = {}) => {
  probe.reset()
  harness = createTestEngine({ nodes: probeNodes(probe), ...options })
  return harness
}
afterEach(async () => harness?.close())

const statuses = async (h: TestEngine, runId: string) =>
  Object.fromEntries((await h.store.listNodeExecutions(runId)).map((record) => [record.nodeId, record.status]))

describe('engine', () => {
  it('runs a chain, numbers events from 1 and persists every transition', async () => {
    const h = setup()
    const { run, events } = await h.run({
      workflow: workflow([{ id: 'a', params: { value: 'A' } }, { id: 'b' }], [['a', 'b']]),
    })
    expect(run.status).toBe('succeeded')
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
    expect(events.map((event) => `${event.type}${'nodeId' in event ? `:${event.nodeId}` : ''}`)).toEqual([
      'run.started',
      'node.queued:a',
      'node.started:a',
      'node.progress:a',
      'node.succeeded:a',
      'node.queued:b',
      'node.started:b',
      'node.progress:b',
      'node.succeeded:b',
      'run.finished',
    ])
    expect(await h.store.listEvents(run.id)).toEqual(events)
    const b = (await h.store.listNodeExecutions(run.id)).find((record) => record.nodeId === 'b')
    expect(b?.inputs).toEqual({ in: ['A'] })
    expect(b?.outputs).toEqual({ out: { from: 'b', inputs: ['A'] } })
    expect((await h.store.getRun(run.orgId, run.id))?.status).toBe('succeeded')
  })

  it('skips the branch not taken and joins what ran', async () => {
    const h = setup()
    const { run } = await h.run({
      workflow: workflow(
        [
          { id: 'src' },
          { id: 'if', type: 'test.branch', params: { take: 'b' } },
          { id: 'onA' },
          { id: 'onB' },
          { id: 'join' },
          { id: 'afterA' },
        ],
        [
          ['src', 'if'],
          ['if', 'onA', 'a'],
          ['if', 'onB', 'b'],
          ['onA', 'join'],
          ['onB', 'join'],
          ['onA', 'afterA'],
        ],
      ),
    })
    expect(run.status).toBe('succeeded')
    expect(await statuses(h, run.id)).toEqual({
      src: 'succeeded',
      if: 'succeeded',
      onA: 'skipped',
      onB: 'succeeded',
      join: 'succeeded',
      afterA: 'skipped',
    })
    const join = (await h.store.listNodeExecutions(run.id)).find((record) => record.nodeId === 'join')
    expect(join?.inputs).toEqual({ in: [{ from: 'onB', inputs: ['if'] }] })
  })

  it('skips a node whose required input sits on the branch not taken', async () => {
    const h = setup()
    const { run, events } = await h.run({
      workflow: workflow(
        [
          { id: 'if', type: 'test.branch', params: { take: 'a' } },
          { id: 'needsB', type: 'test.need' },
        ],
        [['if', 'needsB', 'b', 'in']],
      ),
    })
    expect(run.status).toBe('succeeded')
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'node.skipped', nodeId: 'needsB', reason: 'branch_inactive' }),
    )
  })

  it('fails only what depends on a failed node; unrelated branches finish', async () => {
    const h = setup()
    const { run, events } = await h.run({
      workflow: workflow(
        [
          { id: 'bad', params: { failTimes: 9 } },
          { id: 'child' },
          { id: 'grandchild' },
          { id: 'other', params: { ms: 20 } },
          { id: 'otherChild' },
        ],
        [
          ['bad', 'child'],
          ['child', 'grandchild'],
          ['other', 'otherChild'],
        ],
      ),
    })
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'NODE_FAILED', message: expect.stringContaining('bad') })
    expect(await statuses(h, run.id)).toEqual({
      bad: 'failed',
      child: 'skipped',
      grandchild: 'skipped',
      other: 'succeeded',
      otherChild: 'succeeded',
    })
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'node.skipped', nodeId: 'grandchild', reason: 'upstream_failed' }),
    )
    expect(probe.starts(run.id).get('bad')).toBe(1)
  })

  it('retries retryable failures with backoff and then succeeds', async () => {
    const h = setup({ random: () => 0.5 })
    const doc = workflow([{ id: 'flaky', params: { failTimes: 2, retryable: true } }], [])
    doc.nodes[0] = { ...doc.nodes[0], retry: { maxAttempts: 3, initialDelayMs: 5 } } as never
    const { run, events } = await h.run({ workflow: doc })
    expect(run.status).toBe('succeeded')
    const retries = events.filter((event) => event.type === 'node.retrying')
    expect(retries.map((event) => event.type === 'node.retrying' && [event.attempt, event.delayMs])).toEqual([
      [1, 5],
      [2, 10],
    ])
    expect(probe.starts(run.id).get('flaky')).toBe(3)
    const record = (await h.store.listNodeExecutions(run.id))[0]
    expect(record).toMatchObject({ status: 'succeeded', attempt: 3 })
  })

  it('honours a retry-after hint and gives up after maxAttempts', async () => {
    const h = setup()
    const doc = workflow([{ id: 'limited', params: { failTimes: 9, retryable: true, retryAfterMs: 30 } }], [])
    doc.nodes[0] = { ...doc.nodes[0], retry: { maxAttempts: 2, initialDelayMs: 5000 } } as never
    const { run, events } = await h.run({ workflow: doc })
    expect(run.status).toBe('failed')
    expect(events.filter((event) => event.type === 'node.retrying')).toEqual([
      expect.objectContaining({ delayMs: 30, attempt: 1 }),
    ])
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'node.failed',
        attempt: 2,
        error: expect.objectContaining({ code: 'TEST_FAILURE' }),
      }),
    )
  })

  it('does not retry a non-retryable failure', async () => {
    const h = setup()
    const { run } = await h.run({ workflow: workflow([{ id: 'x', params: { failTimes: 1, retryable: false } }], []) })
    expect(run.status).toBe('failed')
    expect(probe.starts(run.id).get('x')).toBe(1)
  })

  it('times out an attempt even when the node ignores its signal', async () => {
    const h = setup()
    const doc = workflow([{ id: 'stuck', params: { ms: 5000, ignoreSignal: true } }], [])
    doc.nodes[0] = { ...doc.nodes[0], timeoutMs: 30, retry: { maxAttempts: 2, initialDelayMs: 1 } } as never
    const { run, events } = await h.run({ workflow: doc })
    expect(run.status).toBe('failed')
    expect(events.filter((event) => event.type === 'node.retrying')).toHaveLength(1)
    expect(events.at(-2)).toMatchObject({ type: 'node.failed', error: { code: 'TIMEOUT' } })
  })

  it('cancels a run: running attempts are aborted, nothing else starts', async () => {
    const h = setup()
    const doc = workflow(
      [{ id: 'slow', params: { ms: 10_000 } }, { id: 'after' }, { id: 'quick' }],
      [['slow', 'after']],
    )
    const started = await h.engine.startRun({ workflow: doc })
    while (probe.running === 0) await new Promise((resolve) => setTimeout(resolve, 2))
    await h.engine.cancelRun(started.orgId, started.id)
    const run = await h.engine.waitForRun(started.orgId, started.id)
    expect(run.status).toBe('canceled')
    const byNode = await statuses(h, run.id)
    expect(byNode.slow).toBe('canceled')
    expect(byNode.after).toBe('canceled')
    expect(probe.starts(run.id).get('after')).toBeUndefined()
    const events = await h.store.listEvents(run.id)
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'canceled' })
    // The aborted attempt settles without reporting anything after the run finished.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await h.store.listEvents(run.id)).length).toBe(events.length)
  })

  it("keeps a running run's cost at what its finished nodes spent, and totals every attempt at the end", async () => {
    const h = setup()
    const doc = workflow(
      [
        { id: 'paid', params: { cost: 0.25, cacheable: false } },
        { id: 'retried', params: { cost: 0.5, failTimes: 1, retryable: true, retryAfterMs: 0, cacheable: false } },
        { id: 'slow', params: { ms: 10_000, cacheable: false } },
      ],
      [
        ['paid', 'retried'],
        ['retried', 'slow'],
      ],
    )
    const started = await h.engine.startRun({ workflow: doc })
    // The in-process queue dispatches before the commit lands; `slow`'s start is committed after
    // the outcomes before it (one ordered commit queue), so once it is stored they are too.
    const slowStarted = async () =>
      (await h.store.listEvents(started.id)).some((event) => event.type === 'node.started' && event.nodeId === 'slow')
    while (!(await slowStarted())) await new Promise((resolve) => setTimeout(resolve, 2))
    const running = await h.store.getRun(started.orgId, started.id)
    expect(running?.status).toBe('running')
    expect(running?.cost).toBeCloseTo(1.25)
    await h.engine.cancelRun(started.orgId, started.id)
    const finished = await h.engine.waitForRun(started.orgId, started.id)
    expect(finished.cost).toBeCloseTo(1.25)
  })

  it('answers an unchanged re-run from the cache and re-runs only what an edit affects', async () => {
    const h = setup()
    const nodes = [{ id: 'a', params: { value: 1 } }, { id: 'b' }, { id: 'c' }, { id: 'side', params: { value: 2 } }]
    const edges: [string, string][] = [
      ['a', 'b'],
      ['b', 'c'],
    ]
    const first = await h.run({ workflow: workflow(nodes, edges) })
    expect(first.run.status).toBe('succeeded')
    expect(probe.starts(first.run.id).size).toBe(4)

    const second = await h.run({ workflow: workflow(nodes, edges) })
    expect(second.run.status).toBe('succeeded')
    expect(probe.starts(second.run.id).size).toBe(0)
    expect(second.events.filter((event) => event.type === 'node.cached')).toHaveLength(4)
    expect(second.run.outputs).toEqual(first.run.outputs)

    const edited = nodes.map((node) => (node.id === 'b' ? { ...node, params: { value: 'changed' } } : node))
    const third = await h.run({ workflow: workflow(edited, edges) })
    expect([...probe.starts(third.run.id).keys()].sort()).toEqual(['b', 'c'])
  })

  it('never caches a node that opts out', async () => {
    const h = setup()
    const doc = workflow([{ id: 'random', params: { cacheable: false } }], [])
    await h.run({ workflow: doc })
    const again = await h.run({ workflow: doc })
    expect(probe.starts(again.run.id).get('random')).toBe(1)
  })

  it('runs only the selected nodes and what they need, upstream from cache', async () => {
    const h = setup()
    const doc = workflow(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'unrelated' }],
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    )
    await h.run({ workflow: doc, nodes: ['a'] })
    const partial = await h.run({ workflow: doc, nodes: ['b'] })
    expect(partial.run.status).toBe('succeeded')
    expect(partial.run.scope).toEqual(['b'])
    expect(Object.keys(await statuses(h, partial.run.id)).sort()).toEqual(['a', 'b'])
    expect([...probe.starts(partial.run.id).keys()]).toEqual(['b'])
    await expect(h.engine.startRun({ workflow: doc, nodes: ['nope'] })).rejects.toThrow(ValidationError)
  })

  it('substitutes workflow inputs into params and rejects missing or unknown ones', async () => {
    const h = setup()
    const doc = {
      ...workflow([{ id: 'say', params: { value: 'hi {{inputs.who}}' } }], []),
      inputs: { who: { type: 'text' } },
    }
    const { run } = await h.run({ workflow: doc, inputs: { who: 'Ada' } })
    expect((await h.store.listNodeExecutions(run.id))[0]?.outputs).toEqual({ out: 'hi Ada' })
    await expect(h.engine.startRun({ workflow: doc })).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'MISSING_WORKFLOW_INPUT', field: 'who' })],
    })
    await expect(h.engine.startRun({ workflow: doc, inputs: { who: 'x', extra: 1 } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'UNKNOWN_WORKFLOW_INPUT', field: 'extra' })],
    })
  })

  it('rejects an invalid workflow with every issue at once', async () => {
    const h = setup()
    const bad = workflow(
      [
        { id: 'a', type: 'nope' },
        { id: 'b', type: 'test.need' },
      ],
      [['b', 'b']],
    )
    const error = await h.engine.startRun({ workflow: bad }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.code).sort()).toEqual(['CYCLE', 'UNKNOWN_NODE_TYPE'])
  })

  it('refuses inline media in outputs', async () => {
    const h = setup()
    const { run, events } = await h.run({ workflow: workflow([{ id: 'img', type: 'test.badImage' }], []) })
    expect(run.status).toBe('failed')
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'node.failed', error: expect.objectContaining({ code: 'INVALID_OUTPUT' }) }),
    )
  })

  it('respects the per-run limit and the process-wide limit', async () => {
    const wide = workflow(
      Array.from({ length: 12 }, (_, index) => ({ id: `n${index}`, params: { ms: 15, cacheable: false } })),
      [],
    )
    const perRun = setup({ perRunConcurrency: 3 })
    await perRun.run({ workflow: wide })
    expect(probe.maxRunning).toBe(3)
    await perRun.close()

    const global = setup({ concurrency: 5 })
    await Promise.all([global.run({ workflow: wide }), global.run({ workflow: wide })])
    expect(probe.maxRunning).toBe(5)
  })

  it('holds a resource limit across runs', async () => {
    const h = setup({ resourceLimits: { gpu: 2 } })
    const doc = workflow(
      Array.from({ length: 6 }, (_, index) => ({
        id: `g${index}`,
        params: { ms: 15, resource: 'gpu', cacheable: false },
      })),
      [],
    )
    await Promise.all([h.run({ workflow: doc }), h.run({ workflow: doc })])
    expect(probe.maxRunning).toBe(2)
  })

  it('throttles progress events', async () => {
    const h = setup({ progressIntervalMs: 1000 })
    const { events } = await h.run({ workflow: workflow([{ id: 'a', params: { ms: 10 } }], []) })
    expect(events.filter((event) => event.type === 'node.progress')).toHaveLength(1)
  })
})

describe('engine when the store fails', () => {
  it('reloads a run from the store after a failed commit and still finishes it', async () => {
    const store = new MemoryStore()
    let failures = 0
    const flaky = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'commit') {
          return async (batch: Parameters<MemoryStore['commit']>[0]) => {
            // Fail the commit that records node b's start, once.
            if (
              failures === 0 &&
              batch.events?.some((event) => event.type === 'node.started' && event.nodeId === 'b')
            ) {
              failures++
              throw new Error('disk full')
            }
            return target.commit(batch)
          }
        }
        const value = Reflect.get(target, property, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const errors: string[] = []
    const h = setup({ store: flaky, logger: { ...silentLogger, error: (message) => errors.push(message) } })
    const started = await h.engine.startRun({
      workflow: workflow(
        [{ id: 'a', params: { value: 'A' } }, { id: 'b', params: { ms: 20 } }, { id: 'c' }],
        [
          ['a', 'b'],
          ['b', 'c'],
        ],
      ),
    })
    const run = await h.engine.waitForRun(started.orgId, started.id)
    expect(failures).toBe(1)
    expect(errors).toContain('run state could not be committed; reloading it from the store')
    expect(run.status).toBe('succeeded')
    expect(await statuses(h, run.id)).toEqual({ a: 'succeeded', b: 'succeeded', c: 'succeeded' })
    const events = await store.listEvents(run.id)
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
  })
})

describe('engine when a run is canceled during a cache lookup', () => {
  it('still records what finished before the cancellation, before run.finished', async () => {
    const store = new MemoryStore()
    let slowLookups = false
    let lookupStarted: () => void = () => {}
    const lookup = new Promise<void>((resolve) => {
      lookupStarted = resolve
    })
    const slow = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'getCached') {
          return async (...args: Parameters<MemoryStore['getCached']>) => {
            if (slowLookups) {
              lookupStarted()
              await new Promise((resolve) => setTimeout(resolve, 50))
            }
            return target.getCached(...args)
          }
        }
        const value = Reflect.get(target, property, receiver)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
    const h = setup({ store: slow })
    const doc = workflow([{ id: 'a', params: { ms: 10 } }, { id: 'b' }], [['a', 'b']])
    const started = await h.engine.startRun({ workflow: doc })
    slowLookups = true // a's own lookup is done; b's lookup (after a succeeds) will be slow
    await lookup
    await h.engine.cancelRun(started.orgId, started.id)
    const run = await h.engine.waitForRun(started.orgId, started.id)
    expect(run.status).toBe('canceled')
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(await statuses(h, run.id)).toEqual({ a: 'succeeded', b: 'canceled' })
    const types = (await store.listEvents(run.id)).map(
      (event) => `${event.type}${'nodeId' in event ? `:${event.nodeId}` : ''}`,
    )
    expect(types.indexOf('node.succeeded:a')).toBeLessThan(types.indexOf('run.finished'))
    expect(types.at(-1)).toBe('run.finished')
  })
})
