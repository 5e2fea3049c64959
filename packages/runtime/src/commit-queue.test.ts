import type { RunEventBody } from '@patchbay/core'
import { MemoryStore, type TransitionBatch } from '@patchbay/db'
import { describe, expect, it } from 'vitest'
import { CommitQueue } from './commit-queue.ts'

const run = (id: string) => ({
  id,
  orgId: 'default',
  workflowId: null,
  versionId: 'v',
  status: 'running' as const,
  inputs: {},
  scope: null,
  outputs: null,
  error: null,
  createdAt: new Date(),
  startedAt: new Date(),
  finishedAt: null,
  cost: null,
})

const event = (runId: string, body: RunEventBody) => ({ ...body, runId, time: new Date().toISOString() })

async function storeWithRun() {
  const store = new MemoryStore()
  await store.saveVersion({
    id: 'v',
    orgId: 'default',
    workflowId: null,
    document: { schemaVersion: 1, name: 'x', inputs: {}, nodes: [], edges: [] },
  })
  return store
}

describe('CommitQueue', () => {
  it('merges batches enqueued together into one transaction, numbering events in order', async () => {
    const store = await storeWithRun()
    const commits: TransitionBatch[] = []
    const spy = new Proxy(store, {
      get: (target, property) =>
        property === 'commit'
          ? (batch: TransitionBatch) => {
              commits.push(batch)
              return target.commit(batch)
            }
          : Reflect.get(target, property).bind(target),
    })
    const published: number[] = []
    const queue = new CommitQueue(spy, (events) => published.push(...events.map((e) => e.seq)))
    const results = await Promise.all([
      queue.enqueue({ runs: [run('r')], events: [event('r', { type: 'node.queued', nodeId: 'a', attempt: 1 })] }),
      queue.enqueue({ events: [event('r', { type: 'node.started', nodeId: 'a', attempt: 1 })] }),
      queue.enqueue({ events: [event('r', { type: 'node.canceled', nodeId: 'a' })] }),
    ])
    expect(commits).toHaveLength(1)
    expect(results.map((events) => events.map((e) => e.seq))).toEqual([[1], [2], [3]])
    expect(published).toEqual([1, 2, 3])
  })

  it('starts a new flush for a batch enqueued the moment the previous one resolves', async () => {
    const store = await storeWithRun()
    const queue = new CommitQueue(store, () => {})
    await queue.enqueue({ runs: [run('r')] })
    // Enqueued from the continuation of the first commit: it must not be stranded.
    const next = await queue.enqueue({ events: [event('r', { type: 'node.canceled', nodeId: 'a' })] })
    expect(next.map((e) => e.seq)).toEqual([1])
  })

  it('rejects every caller of a failed transaction and keeps working afterwards', async () => {
    const store = await storeWithRun()
    const queue = new CommitQueue(store, () => {})
    const failed = queue.enqueue({ events: [event('missing-run', { type: 'node.canceled', nodeId: 'a' })] })
    await expect(failed).rejects.toThrow()
    await queue.enqueue({ runs: [run('r')] })
    expect(await store.getRun('default', 'r')).toMatchObject({ id: 'r' })
  })
})
