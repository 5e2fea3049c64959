import { ValidationError } from '@patchbay/core'
import { MemoryStore, type Store } from '@patchbay/db'
import { createTestStore } from '@patchbay/db/testing'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventBus } from './event-bus.ts'
import { createTestEngine, Probe, probeNodes, type TestEngine } from './testing/index.ts'

// A run whose first commit fails was never accepted: nothing of it may stay in memory (issue 13
// finding 4: 50 such requests left 50 "active" runs and ~240 MiB behind).

const probe = new Probe()
let harness: TestEngine | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

const oneInput = (inputs: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  name: 'first commit',
  inputs: { text: { type: 'text', default: 't' }, ...inputs },
  nodes: [{ id: 'a', type: 'test.step', params: { value: '{{inputs.text}}' } }],
  edges: [],
})

/** Listeners the engine's event bus holds for single runs (its private state, read for the leak check). */
function runListeners(h: TestEngine): number {
  const bus = Reflect.get(h.engine, 'bus') as EventBus
  return (Reflect.get(bus, 'byRun') as Map<string, unknown>).size
}

/** A store whose commits all fail, as a full disk or a refused value would make them. */
function failingCommits(store: Store): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'commit') return async () => Promise.reject(new Error('disk full'))
      const value = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

describe('a run whose first commit fails', () => {
  it('leaves no active run and no listener behind', async () => {
    const h = createTestEngine({ nodes: probeNodes(probe), store: failingCommits(new MemoryStore()) })
    harness = h
    const events: unknown[] = []
    for (let i = 0; i < 20; i++) {
      await expect(
        h.engine.startRun({ workflow: oneInput(), inputs: { text: 'x' }, onEvent: (event) => events.push(event) }),
      ).rejects.toThrow('disk full')
    }
    expect(h.engine.activeRuns).toBe(0)
    expect(runListeners(h)).toBe(0)
    expect(events).toEqual([])
  })

  it('leaves nothing behind when the database refuses the run (a NUL in its inputs, on PGlite)', async () => {
    const testStore = await createTestStore('pglite')
    const h = createTestEngine({ nodes: probeNodes(probe), store: testStore.store })
    harness = {
      ...h,
      close: async () => {
        await h.engine.close()
        await testStore.close()
      },
    }
    await expect(
      h.engine.startRun({ workflow: oneInput(), inputs: { text: 'a\u0000b' }, onEvent: () => {} }),
    ).rejects.toThrow()
    expect(h.engine.activeRuns).toBe(0)
    expect(runListeners(h)).toBe(0)
    // The engine still works afterwards.
    const started = await h.engine.startRun({ workflow: oneInput(), inputs: { text: 'fine' } })
    const run = await h.engine.waitForRun(started.orgId, started.id)
    expect(run.status).toBe('succeeded')
    expect(h.engine.activeRuns).toBe(0)
  }, 30_000)
})

describe('deeply nested run requests', () => {
  const nest = (depth: number): unknown => {
    let value: unknown = 'bottom'
    for (let i = 0; i < depth; i++) value = [value]
    return value
  }

  it('refuses inputs nested 5,000 deep with JSON_TOO_DEEP before anything is stored', async () => {
    const h = createTestEngine({ nodes: probeNodes(probe) })
    harness = h
    const error = await h.engine
      .startRun({ workflow: oneInput({ data: { type: 'json' } }), inputs: { data: nest(5000) } })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.code)).toEqual(['JSON_TOO_DEEP'])
    expect(h.engine.activeRuns).toBe(0)
  })

  it('refuses node params nested 5,000 deep with JSON_TOO_DEEP', async () => {
    const h = createTestEngine({ nodes: probeNodes(probe) })
    harness = h
    const workflow = { ...oneInput(), nodes: [{ id: 'a', type: 'test.step', params: { value: nest(5000) } }] }
    const error = await h.engine.startRun({ workflow }).catch((caught: unknown) => caught)
    expect((error as ValidationError).issues?.[0]?.code).toBe('JSON_TOO_DEEP')
    expect(h.engine.activeRuns).toBe(0)
  })

  it('still runs inputs nested 390 deep', async () => {
    const h = createTestEngine({ nodes: probeNodes(probe) })
    harness = h
    const { run } = await h.run({ workflow: oneInput({ data: { type: 'json' } }), inputs: { data: nest(390) } })
    expect(run.status).toBe('succeeded')
    expect(h.engine.activeRuns).toBe(0)
  })
})
