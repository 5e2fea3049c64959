import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import type { RunRecord } from '@patchbay/db'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot, spawnTs } from './support/child-process.ts'
import { databaseTargets } from './support/databases.ts'

const child = join(repoRoot, 'test/fixtures/crash-child.ts')
const temp: string[] = []
afterAll(async () => Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true }))))

const targets = await databaseTargets('crash recovery')

describe.each(targets)('crash recovery on $name', (target) => {
  it('resumes a run after SIGKILL: finished nodes keep their outputs, the lost attempt runs again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'patchbay-crash-'))
    temp.push(dir)
    const log = join(dir, 'executions.log')
    const database = await target.create()
    try {
      const first = spawnTs(child, ['start', dir, log, database.url ?? ''])
      const parse = (line: string) => JSON.parse(line) as RunEvent
      const isEvent = (type: string, nodeId?: string) => (line: string) => {
        const event = parse(line)
        return event.type === type && (nodeId === undefined || ('nodeId' in event && event.nodeId === nodeId))
      }
      // Kill once c's success and b's start are durable (events print after their commit).
      await first.waitForLine(isEvent('node.succeeded', 'c'))
      const started = parse(await first.waitForLine(isEvent('node.started', 'b')))
      first.process.kill('SIGKILL')
      expect((await first.exited).signal).toBe('SIGKILL')
      expect(await readFile(log, 'utf8')).not.toContain('b 1 end')

      const second = spawnTs(child, ['recover', dir, log, started.runId, database.url ?? ''])
      const summary = JSON.parse(await second.waitForLine((line) => line.startsWith('{"final"'))) as {
        final: RunRecord
        events: RunEvent[]
      }
      expect((await second.exited).code).toBe(0)

      expect(summary.final.status).toBe('succeeded')
      expect(summary.final.outputs).toEqual({ result: ['d', 'b', 'a', 'c', 'a'] })
      const lines = (await readFile(log, 'utf8')).trim().split('\n')
      expect(lines.filter((line) => line.startsWith('a '))).toEqual(['a 1 start', 'a 1 end'])
      expect(lines.filter((line) => line.startsWith('c '))).toEqual(['c 1 start', 'c 1 end'])
      expect(lines.filter((line) => line.startsWith('b '))).toEqual(['b 1 start', 'b 2 start', 'b 2 end'])
      expect(lines.filter((line) => line.startsWith('d '))).toEqual(['d 1 start', 'd 1 end'])

      const { events } = summary
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'node.retrying',
          nodeId: 'b',
          attempt: 1,
          error: expect.objectContaining({ code: 'WORKER_LOST' }),
        }),
      )
      expect(events.filter((event) => event.type === 'node.succeeded' && event.nodeId === 'a')).toHaveLength(1)
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' })
    } finally {
      await database.drop()
    }
  })
})
