import type { RunEvent } from '@patchbay/sdk'
import { describe, expect, it } from 'vitest'
import { staleKeysOf } from './use-org-events.ts'

const base = { runId: 'r1', seq: 1, time: '2026-01-01T00:00:00.000Z' }

describe('staleKeysOf', () => {
  it('refreshes the runs list when a run starts or finishes, and assets when it finishes', () => {
    const started = { ...base, type: 'run.started', workflowName: 'w', nodeIds: [], inputs: {} } as RunEvent
    expect(staleKeysOf(started)).toEqual([
      ['runs', 'list'],
      ['run', 'r1'],
      ['runs', 'detail', 'r1'],
    ])
    const finished = {
      ...base,
      type: 'run.finished',
      status: 'succeeded',
      outputs: {},
      durationMs: 1,
      cost: 0,
    } as RunEvent
    expect(staleKeysOf(finished)).toContainEqual(['assets'])
    expect(staleKeysOf(finished)).toContainEqual(['runs', 'list'])
  })
  it('refreshes assets and the run on a node output, and nothing on progress', () => {
    const succeeded = {
      ...base,
      type: 'node.succeeded',
      nodeId: 'n',
      attempt: 1,
      outputs: {},
      durationMs: 1,
    } as RunEvent
    expect(staleKeysOf(succeeded)).toEqual([['assets'], ['run', 'r1'], ['runs', 'detail', 'r1']])
    const progress = { ...base, type: 'node.progress', nodeId: 'n', attempt: 1, progress: 0.5 } as RunEvent
    expect(staleKeysOf(progress)).toEqual([])
  })
})
