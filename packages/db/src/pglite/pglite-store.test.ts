import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RunRecord } from '../store.ts'
import { openPgliteStore } from './pglite-store.ts'

describe('PGlite store on disk', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'patchbay-pglite-'))
  })
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('keeps everything it committed when the directory is reopened', async () => {
    const document = { schemaVersion: 1 as const, name: 'durable', inputs: {}, nodes: [], edges: [] }
    const run: RunRecord = {
      id: 'run-1',
      orgId: 'org',
      workflowId: 'wf-1',
      versionId: 'v-1',
      status: 'running',
      inputs: { prompt: 'a cat' },
      scope: null,
      outputs: null,
      error: null,
      createdAt: new Date('2030-01-01T00:00:00.000Z'),
      startedAt: new Date('2030-01-01T00:00:01.000Z'),
      finishedAt: null,
      cost: null,
    }
    const first = await openPgliteStore({ dataDir })
    const workflow = await first.createWorkflow({ id: 'wf-1', orgId: 'org', document })
    const version = await first.saveVersion({ id: 'v-1', orgId: 'org', workflowId: 'wf-1', document })
    const events = await first.commit({
      runs: [run],
      nodes: [
        {
          runId: 'run-1',
          nodeId: 'a',
          nodeType: 'text.prompt',
          status: 'queued',
          attempt: 1,
          cacheKey: 'key',
          params: { text: 'a cat' },
          inputs: {},
          outputs: null,
          error: null,
          skipReason: null,
          queuedAt: new Date('2030-01-01T00:00:01.000Z'),
          startedAt: null,
          finishedAt: null,
          notBefore: null,
          cost: null,
        },
      ],
      events: [{ type: 'node.queued', nodeId: 'a', attempt: 1, runId: 'run-1', time: '2030-01-01T00:00:01.000Z' }],
      cache: [{ orgId: 'org', key: 'key', nodeType: 'text.prompt', outputs: { text: 'cached' } }],
    })
    const nodes = await first.listNodeExecutions('run-1')
    await first.close()

    const second = await openPgliteStore({ dataDir })
    try {
      expect(await second.getWorkflow('org', 'wf-1')).toEqual(workflow)
      expect(await second.getVersion('org', 'v-1')).toEqual(version)
      expect(await second.getRun('org', 'run-1')).toEqual(run)
      expect(await second.listNodeExecutions('run-1')).toEqual(nodes)
      expect(await second.listEvents('run-1')).toEqual(events)
      expect(await second.getCached('org', ['key'])).toEqual(new Map([['key', { text: 'cached' }]]))
      const [next] = await second.commit({
        events: [{ type: 'node.started', nodeId: 'a', attempt: 1, runId: 'run-1', time: '2030-01-01T00:00:02.000Z' }],
      })
      expect(next?.seq).toBe(2)
    } finally {
      await second.close()
    }
  })
})
