import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import { freePort } from '@patchbay/server/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { type Child, repoRoot, spawnChild } from './support/child-process.ts'
import { databaseTargets } from './support/databases.ts'

// `patchbay start` killed mid-run and started again: the run finishes, and nothing that had
// finished before the kill runs again. Driven only through the HTTP API, as a client would.

const bin = join(repoRoot, 'packages/cli/bin/patchbay.js')
const temp: string[] = []
const children: Child[] = []
afterAll(async () => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL')
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** quick (300 ms) and side (200 ms) finish early; slow (4 s) is what the kill interrupts. */
const workflow = {
  schemaVersion: 1,
  name: 'Crash me',
  nodes: [
    { id: 'start', type: 'input.text', params: { value: 'survived' } },
    { id: 'quick', type: 'util.wait', params: { ms: 300 } },
    { id: 'side', type: 'util.wait', params: { ms: 200 } },
    { id: 'slow', type: 'util.wait', params: { ms: 4000 } },
    { id: 'join', type: 'text.join', params: { separator: '+' } },
    { id: 'out', type: 'output', params: { name: 'joined' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'text', target: 'quick', targetHandle: 'value' },
    { id: 'e2', source: 'start', sourceHandle: 'text', target: 'side', targetHandle: 'value' },
    { id: 'e3', source: 'quick', sourceHandle: 'value', target: 'slow', targetHandle: 'value' },
    { id: 'e4', source: 'slow', sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
    { id: 'e5', source: 'side', sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
    { id: 'e6', source: 'join', sourceHandle: 'text', target: 'out', targetHandle: 'value' },
  ],
}

interface NodeJson {
  nodeId: string
  status: string
  attempt: number
}
interface RunJson {
  id: string
  status: string
  outputs: Record<string, unknown> | null
  nodes: NodeJson[]
}

/**
 * Starts `patchbay start` and resolves with its URL once it serves the API. Local mode is on
 * for loopback, so anonymous requests act as the owner of the default organisation.
 */
async function startPatchbay(env: NodeJS.ProcessEnv): Promise<{ child: Child; url: string }> {
  const port = await freePort()
  const child = spawnChild(process.execPath, [bin, 'start'], { env: { ...env, PORT: String(port), HOST: '127.0.0.1' } })
  children.push(child)
  const line = await child.waitForLine((text) => text.startsWith('Patchbay is running at'), 60_000)
  const url = /at (http:\/\/\S+)/.exec(line)?.[1] as string
  return { child, url }
}

async function api<T>(url: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${url}/api/v1${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`)
  return JSON.parse(text) as T
}

async function pollRun(url: string, runId: string, done: (run: RunJson) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await api<RunJson>(url, 'GET', `/runs/${runId}`)
    if (done(run)) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} did not get there in time: ${JSON.stringify(run)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The replay of a finished run's event stream (it ends by itself). */
async function replayEvents(url: string, runId: string): Promise<RunEvent[]> {
  const response = await fetch(`${url}/api/v1/runs/${runId}/events`)
  expect(response.headers.get('content-type')).toContain('text/event-stream')
  return (await response.text())
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as RunEvent)
}

const node = (run: RunJson, id: string) => run.nodes.find((n) => n.nodeId === id) as NodeJson

const targets = await databaseTargets('server crash')

describe.each(targets)('patchbay start killed mid-run, on $name', (target) => {
  it('finishes the run after a restart without running finished nodes again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-server-crash-'))
    temp.push(dataDir)
    const database = await target.create()
    const env = { PATCHBAY_DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) }
    try {
      const first = await startPatchbay(env)
      const saved = await api<{ id: string }>(first.url, 'POST', '/workflows', workflow)
      const started = await api<RunJson>(first.url, 'POST', '/runs', { workflowId: saved.id })

      const before = await pollRun(
        first.url,
        started.id,
        (run) => node(run, 'quick').status === 'succeeded' && node(run, 'slow').status === 'running',
        30_000,
      )
      first.child.process.kill('SIGKILL')
      expect((await first.child.exited).signal).toBe('SIGKILL')
      const finishedBefore = before.nodes.filter((n) => n.status === 'succeeded')
      expect(finishedBefore.map((n) => n.nodeId)).toEqual(expect.arrayContaining(['start', 'quick']))

      const second = await startPatchbay(env)
      const after = await pollRun(second.url, started.id, (run) => run.status !== 'running', 60_000)
      expect(after.status).toBe('succeeded')
      expect(after.outputs).toEqual({ joined: 'survived+survived' })
      for (const { nodeId, attempt } of finishedBefore) {
        expect(node(after, nodeId), nodeId).toMatchObject({ status: 'succeeded', attempt })
      }
      // The interrupted attempt was lost with the process and ran again.
      expect(node(after, 'slow')).toMatchObject({ status: 'succeeded', attempt: 2 })

      const events = await replayEvents(second.url, started.id)
      expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
      expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' })
      const startsOf = (nodeId: string) =>
        events.filter((event) => event.type === 'node.started' && event.nodeId === nodeId).length
      for (const { nodeId } of finishedBefore) expect(startsOf(nodeId), nodeId).toBe(1)
      expect(startsOf('slow')).toBe(2)
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'node.retrying',
          nodeId: 'slow',
          error: expect.objectContaining({ code: 'WORKER_LOST' }),
        }),
      )

      second.child.process.kill('SIGTERM')
      expect((await second.child.exited).code).toBe(0)
    } finally {
      await database.drop()
    }
  })
})
