import type { RunEvent, RunEventBody } from '@patchbay/core'
import type { Run, RunDetail } from '@patchbay/sdk'
import { describe, expect, it } from 'vitest'
import { applyRunEvent, runViewFromDetail, startedRunView } from './apply-event.ts'
import type { RunView } from './types.ts'

const run: Run = {
  id: 'run_1',
  workflowId: 'wf_1',
  versionId: 'v_1',
  status: 'queued',
  inputs: {},
  scope: null,
  outputs: null,
  error: null,
  cost: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
}

function eventsOf(bodies: RunEventBody[], runId = run.id): RunEvent[] {
  return bodies.map((body, index) => ({
    ...body,
    runId,
    seq: index + 1,
    time: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(),
  }))
}

function applyAll(state: RunView, events: RunEvent[]): RunView {
  return events.reduce(applyRunEvent, state)
}

const happyPath = eventsOf([
  { type: 'run.started', workflowName: 'wf', nodeIds: ['a', 'b'], inputs: {} },
  { type: 'node.cached', nodeId: 'a', outputs: { text: 'cached' } },
  { type: 'node.queued', nodeId: 'b', attempt: 1 },
  { type: 'node.started', nodeId: 'b', attempt: 1 },
  { type: 'node.progress', nodeId: 'b', attempt: 1, progress: null, message: 'Hel' },
  { type: 'node.progress', nodeId: 'b', attempt: 1, progress: null, message: 'Hello wor' },
  { type: 'node.succeeded', nodeId: 'b', attempt: 1, outputs: { text: 'Hello world' }, durationMs: 2000, cost: 0.01 },
  { type: 'run.finished', status: 'succeeded', outputs: { text: 'Hello world' }, durationMs: 6000, cost: 0.01 },
])

describe('applyRunEvent', () => {
  it('follows a run from start to finish', () => {
    const view = applyAll(startedRunView(run), happyPath)
    expect(view.status).toBe('succeeded')
    expect(view.cost).toBe(0.01)
    expect(view.durationMs).toBe(6000)
    expect(view.lastSeq).toBe(8)
    expect(view.nodes.a).toMatchObject({ status: 'cached', outputs: { text: 'cached' } })
    expect(view.nodes.b).toMatchObject({
      status: 'succeeded',
      attempt: 1,
      outputs: { text: 'Hello world' },
      durationMs: 2000,
      cost: 0.01,
      progress: 1,
      message: null,
    })
  })

  it('keeps the streamed text while a node runs, replacing it with each message', () => {
    const view = applyAll(startedRunView(run), happyPath.slice(0, 6))
    expect(view.status).toBe('running')
    expect(view.nodes.b).toMatchObject({ status: 'running', message: 'Hello wor', progress: null })
    const fraction = applyRunEvent(view, {
      runId: run.id,
      seq: 7,
      time: '2025-01-01T00:00:07.000Z',
      type: 'node.progress',
      nodeId: 'b',
      attempt: 1,
      progress: 0.5,
    })
    expect(fraction.nodes.b).toMatchObject({ progress: 0.5, message: 'Hello wor' })
  })

  it('adds node costs up while running', () => {
    const view = applyAll(startedRunView(run), happyPath.slice(0, 7))
    expect(view.cost).toBe(0.01)
  })

  it('ignores replayed events and events of other runs', () => {
    const view = applyAll(startedRunView(run), happyPath)
    expect(applyAll(view, happyPath)).toBe(view)
    const other = eventsOf([{ type: 'node.canceled', nodeId: 'a' }], 'run_2').map((e) => ({ ...e, seq: 99 }))
    expect(applyAll(view, other)).toBe(view)
  })

  it('does not mutate the state it is given', () => {
    const before = applyAll(startedRunView(run), happyPath.slice(0, 3))
    const snapshot = structuredClone(before)
    applyAll(before, happyPath.slice(3))
    expect(before).toEqual(snapshot)
  })

  it('records retries and failures', () => {
    const error = { code: 'PROVIDER_ERROR', message: 'rate limited', retryable: true }
    const view = applyAll(
      startedRunView(run),
      eventsOf([
        { type: 'run.started', workflowName: 'wf', nodeIds: ['a', 'b'], inputs: {} },
        { type: 'node.queued', nodeId: 'a', attempt: 1 },
        { type: 'node.started', nodeId: 'a', attempt: 1 },
        { type: 'node.retrying', nodeId: 'a', attempt: 1, delayMs: 500, error },
        { type: 'node.queued', nodeId: 'a', attempt: 2 },
      ]),
    )
    expect(view.nodes.a).toMatchObject({ status: 'queued', attempt: 2, retry: { attempt: 1, delayMs: 500, error } })
    const failed = applyAll(
      view,
      eventsOf([
        { type: 'node.started', nodeId: 'a', attempt: 2 },
        { type: 'node.failed', nodeId: 'a', attempt: 2, error: { code: 'BOOM', message: 'broke' } },
        { type: 'node.skipped', nodeId: 'b', reason: 'upstream_failed' },
        {
          type: 'run.finished',
          status: 'failed',
          outputs: {},
          error: { code: 'BOOM', message: 'broke' },
          durationMs: 9,
          cost: 0,
        },
      ]).map((e, i) => ({ ...e, seq: 6 + i })),
    )
    expect(failed.nodes.a).toMatchObject({ status: 'failed', attempt: 2, error: { code: 'BOOM' }, retry: null })
    expect(failed.nodes.b).toMatchObject({ status: 'skipped', skipReason: 'upstream_failed' })
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatchObject({ code: 'BOOM' })
  })

  it('keeps nodes a scoped run leaves out, and restarts those it runs', () => {
    const first = applyAll(startedRunView(run), happyPath)
    const second = startedRunView({ ...run, id: 'run_2', scope: ['b'] }, first)
    expect(second.nodes.a).toMatchObject({ runId: 'run_1', status: 'cached' })
    const events = eventsOf(
      [
        { type: 'run.started', workflowName: 'wf', nodeIds: ['b'], inputs: {} },
        { type: 'node.queued', nodeId: 'b', attempt: 1 },
      ],
      'run_2',
    )
    const view = applyAll(second, events)
    expect(view.nodes.a).toMatchObject({ runId: 'run_1', status: 'cached' })
    expect(view.nodes.b).toMatchObject({ runId: 'run_2', status: 'queued', outputs: null })
  })

  it('rebuilds the same state when replaying every event over a loaded detail', () => {
    const detail: RunDetail = {
      ...run,
      status: 'running',
      cost: 0.01,
      startedAt: '2025-01-01T00:00:00.000Z',
      nodes: [
        {
          nodeId: 'a',
          nodeType: 'text.template',
          status: 'cached',
          attempt: 0,
          params: {},
          inputs: { name: 'x' },
          outputs: { text: 'cached' },
          error: null,
          skipReason: null,
          queuedAt: null,
          startedAt: null,
          finishedAt: '2025-01-01T00:00:01.000Z',
          cost: null,
        },
      ],
    }
    const loaded = runViewFromDetail(detail)
    expect(loaded.nodes.a).toMatchObject({ status: 'cached', inputs: { name: 'x' }, nodeType: 'text.template' })
    const replayed = applyAll(loaded, happyPath)
    expect(replayed.cost).toBe(0.01)
    expect(replayed.nodes.b?.status).toBe('succeeded')
  })
})
