import { describe, expect, it } from 'vitest'
import { doc, makeNode, orgA, orgB } from './contract-fixtures.ts'
import type { NodeExecutionRecord, RunRecord, Store } from './store.ts'
import type { UsageSummary } from './usage.ts'

const day = (date: string, time = '12:00:00') => new Date(`${date}T${time}.000Z`)
const january = { orgId: orgA, from: day('2030-01-01', '00:00:00'), to: day('2030-01-08', '00:00:00') }

/** A node that ran `attempts` times with `model` in its params, spending `cost`. */
function modelNode(runId: string, nodeId: string, model: unknown, cost: number | null, attempts = 1) {
  return makeNode(runId, nodeId, {
    nodeType: 'llm.chat',
    status: 'succeeded',
    attempt: attempts,
    params: { model, prompt: 'hi' },
    startedAt: day('2030-01-01'),
    finishedAt: day('2030-01-01'),
    cost,
  })
}

/** Compares costs to the cent's millionth: SQL and JavaScript may add doubles in another order. */
function roundCosts(summary: UsageSummary): UsageSummary {
  const round = (value: number) => Math.round(value * 1e8) / 1e8
  return {
    ...summary,
    cost: round(summary.cost),
    days: summary.days.map((row) => ({ ...row, cost: round(row.cost) })),
    workflows: summary.workflows.map((row) => ({ ...row, cost: round(row.cost) })),
    models: summary.models.map((row) => ({ ...row, cost: round(row.cost) })),
  }
}

/**
 * The contract of `usageSummary`: runs of one organisation in a half-open period, grouped by
 * UTC day, workflow and model. Registered by `storeContract`, which gives each test a fresh store.
 */
export function usageContract(
  current: () => Store,
  startRun: (id: string, overrides?: Partial<RunRecord>) => Promise<RunRecord>,
): void {
  async function commitNodes(...nodes: NodeExecutionRecord[]): Promise<void> {
    await current().commit({ nodes })
  }

  describe('usage', () => {
    it('is all zeros for an organisation without runs in the period', async () => {
      await startRun('run-b', { orgId: orgB, createdAt: day('2030-01-02'), status: 'succeeded', cost: 1 })
      expect(await current().usageSummary(january)).toEqual({
        runs: { total: 0, succeeded: 0, failed: 0, canceled: 0, active: 0 },
        cost: 0,
        nodeExecutions: 0,
        days: [],
        workflows: [],
        models: [],
      })
    })

    it('adds up runs by status, UTC day, workflow and model, in the period and organisation only', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-alpha', orgId: orgA, document: doc('Alpha') })
      await store.createWorkflow({ id: 'wf-beta', orgId: orgA, document: doc('Beta') })
      const alpha = { workflowId: 'wf-alpha' }
      const beta = { workflowId: 'wf-beta' }

      // In the period: the first instant counts, days split at UTC midnight.
      await startRun('r1', { ...alpha, createdAt: january.from, status: 'succeeded', cost: 0.5 })
      await startRun('r2', { ...alpha, createdAt: day('2030-01-01', '23:59:59'), status: 'failed', cost: 0.25 })
      await startRun('r3', { ...beta, createdAt: day('2030-01-02', '00:00:00'), status: 'succeeded', cost: 2 })
      await startRun('r4', { ...beta, createdAt: day('2030-01-05'), status: 'canceled', cost: null })
      await startRun('r5', { createdAt: day('2030-01-05'), status: 'running', cost: null })
      await startRun('r6', { ...alpha, createdAt: day('2030-01-07', '23:59:59'), status: 'queued' })
      // Outside: just before, exactly at the end, another organisation.
      await startRun('early', { ...alpha, createdAt: day('2029-12-31', '23:59:59'), status: 'succeeded', cost: 9 })
      await startRun('late', { ...alpha, createdAt: january.to, status: 'succeeded', cost: 9 })
      await startRun('other', { orgId: orgB, createdAt: day('2030-01-02'), status: 'succeeded', cost: 9 })

      await commitNodes(
        modelNode('r1', 'chat', 'openai/gpt-4o-mini', 0.2),
        modelNode('r1', 'image', 'fal/flux-schnell', 0.3),
        makeNode('r1', 'prompt', { status: 'succeeded', attempt: 1, startedAt: day('2030-01-01') }),
        modelNode('r2', 'chat', 'openai/gpt-4o-mini', 0.25, 3),
        modelNode('r3', 'chat', 'anthropic/claude-haiku-4-5', 2),
        // Ran, but its model is no string: an execution, not a model call.
        modelNode('r3', 'odd', 42, null),
        // Never started (served from the cache, or not reached): neither.
        { ...modelNode('r4', 'chat', 'openai/gpt-4o-mini', null), status: 'cached', startedAt: null },
        { ...modelNode('r5', 'chat', 'openai/gpt-4o-mini', null), status: 'pending', attempt: 0, startedAt: null },
        modelNode('r5', 'local', 'local', 0, 1),
        modelNode('early', 'chat', 'openai/gpt-4o-mini', 9),
        modelNode('other', 'chat', 'openai/gpt-4o-mini', 9),
      )

      expect(roundCosts(await store.usageSummary(january))).toEqual({
        runs: { total: 6, succeeded: 2, failed: 1, canceled: 1, active: 2 },
        cost: 2.75,
        nodeExecutions: 7,
        days: [
          { date: '2030-01-01', runs: 2, cost: 0.75 },
          { date: '2030-01-02', runs: 1, cost: 2 },
          { date: '2030-01-05', runs: 2, cost: 0 },
          { date: '2030-01-07', runs: 1, cost: 0 },
        ],
        workflows: [
          { workflowId: 'wf-beta', name: 'Beta', runs: 2, cost: 2 },
          { workflowId: 'wf-alpha', name: 'Alpha', runs: 3, cost: 0.75 },
          { workflowId: null, name: null, runs: 1, cost: 0 },
        ],
        models: [
          { model: 'anthropic/claude-haiku-4-5', provider: 'anthropic', calls: 1, cost: 2 },
          { model: 'openai/gpt-4o-mini', provider: 'openai', calls: 4, cost: 0.45 },
          { model: 'fal/flux-schnell', provider: 'fal', calls: 1, cost: 0.3 },
          { model: 'local', provider: 'local', calls: 1, cost: 0 },
        ],
      })

      const secondDayOnly = { orgId: orgA, from: day('2030-01-02', '00:00:00'), to: day('2030-01-03', '00:00:00') }
      const second = await store.usageSummary(secondDayOnly)
      expect(second.runs.total).toBe(1)
      expect(second.models.map((row) => row.model)).toEqual(['anthropic/claude-haiku-4-5'])
      expect((await store.usageSummary({ ...january, orgId: orgB })).cost).toBe(9)
    })

    it('breaks ties by workflow id in byte order, runs of deleted workflows last', async () => {
      const store = current()
      for (const id of ['wf-a', 'wf-B', 'wf-gone']) {
        await store.createWorkflow({ id, orgId: orgA, document: doc(id) })
        await startRun(`run-${id}`, { workflowId: id, createdAt: day('2030-01-03'), status: 'succeeded', cost: 1 })
      }
      await store.deleteWorkflow(orgA, 'wf-gone')
      // Byte order puts 'B' (0x42) before 'a' (0x61); the deleted workflow's run has no workflow now.
      expect((await store.usageSummary(january)).workflows).toEqual([
        { workflowId: 'wf-B', name: 'wf-B', runs: 1, cost: 1 },
        { workflowId: 'wf-a', name: 'wf-a', runs: 1, cost: 1 },
        { workflowId: null, name: null, runs: 1, cost: 1 },
      ])
      await startRun('run-unsaved', { createdAt: day('2030-01-04'), status: 'failed', cost: 0.5 })
      expect((await store.usageSummary(january)).workflows[0]).toEqual({
        workflowId: null,
        name: null,
        runs: 2,
        cost: 1.5,
      })
    })

    it('refuses a period that ends before it starts or is not a date; an empty one is empty', async () => {
      const store = current()
      await startRun('r1', { createdAt: january.from, status: 'succeeded', cost: 1 })
      await expect(store.usageSummary({ ...january, to: day('2029-12-31') })).rejects.toThrow(RangeError)
      await expect(store.usageSummary({ ...january, from: new Date(Number.NaN) })).rejects.toThrow(RangeError)
      const empty = await store.usageSummary({ ...january, to: january.from })
      expect(empty.runs.total).toBe(0)
    })
  })
}
