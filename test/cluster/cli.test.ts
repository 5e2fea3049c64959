import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { RunEvent } from '@patchbay/core'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { redisSuiteEnabled } from '@patchbay/runtime/testing'
import { freePort } from '@patchbay/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Child, repoRoot, spawnChild } from '../support/child-process.ts'
import { openScaledDeployment, type ScaledDeployment } from '../support/scaled-deployment.ts'

// The scaled topology through the real CLI: `patchbay start --no-worker` serves the API and
// executes nothing; `patchbay worker` processes execute; a client sees no difference.

const bin = join(repoRoot, 'packages/cli/bin/patchbay.js')
const enabled = (await postgresSuiteEnabled('scaled CLI')) && (await redisSuiteEnabled('scaled CLI'))

const workflow = {
  schemaVersion: 1,
  name: 'Across workers',
  nodes: [
    { id: 'start', type: 'input.text', params: { value: 'fleet' } },
    { id: 'left', type: 'util.wait', params: { ms: 300 } },
    { id: 'right', type: 'util.wait', params: { ms: 200 } },
    { id: 'join', type: 'text.join', params: { separator: '+' } },
    { id: 'out', type: 'output', params: { name: 'joined' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'text', target: 'left', targetHandle: 'value' },
    { id: 'e2', source: 'start', sourceHandle: 'text', target: 'right', targetHandle: 'value' },
    { id: 'e3', source: 'left', sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
    { id: 'e4', source: 'right', sourceHandle: 'value', target: 'join', targetHandle: 'texts' },
    { id: 'e5', source: 'join', sourceHandle: 'text', target: 'out', targetHandle: 'value' },
  ],
}

describe.skipIf(!enabled)('patchbay start --no-worker + patchbay worker', () => {
  let deployment: ScaledDeployment
  let env: NodeJS.ProcessEnv
  let apiUrl: string
  let probesUrl: string
  const children: Child[] = []

  beforeAll(async () => {
    deployment = await openScaledDeployment('scaled-cli', { PATCHBAY_AUTH_SECRET: randomBytes(32).toString('base64') })
    env = deployment.env
    const api = spawnChild(process.execPath, [bin, 'start', '--no-worker'], {
      env: { ...env, PORT: String(await freePort()), HOST: '127.0.0.1' },
    })
    const worker = spawnChild(process.execPath, [bin, 'worker', '--concurrency', '4'], { env })
    children.push(api, worker)
    const running = await api.waitForLine((line) => line.startsWith('Patchbay is running at'), 90_000)
    apiUrl = /at (http:\/\/\S+)/.exec(running)?.[1] as string
    const ready = await worker.waitForLine((line) => line.startsWith('Patchbay worker ready'), 90_000)
    probesUrl = (/probes (http:\/\/\S+)\/ready/.exec(ready)?.[1] as string) ?? ''
  }, 120_000)

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL')
    await Promise.all(children.map((child) => child.exited))
    await deployment?.drop()
  }, 60_000)

  it('runs a workflow on the worker and streams its events from the API', async () => {
    const saved = await call<{ id: string }>('POST', '/workflows', workflow)
    const run = await call<{ id: string; status: string; outputs: unknown }>('POST', '/runs?wait=30', {
      workflowId: saved.id,
    })
    expect(run).toMatchObject({ status: 'succeeded', outputs: { joined: 'fleet+fleet' } })
    const stream = await fetch(`${apiUrl}/api/v1/runs/${run.id}/events`)
    const events = (await stream.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as RunEvent)
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1))
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'succeeded' })
  }, 60_000)

  it('answers /health, /ready and /metrics on both processes', async () => {
    for (const base of [apiUrl, probesUrl]) {
      expect((await fetch(`${base}/health`)).status).toBe(200)
      const ready = await fetch(`${base}/ready`)
      const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> }
      expect(ready.status, JSON.stringify(body)).toBe(200)
      expect(body.checks.redis?.ok).toBe(true)
      expect(body.checks.assets?.ok).toBe(true)
      expect(body.checks.database?.ok).toBe(true)
      const metrics = await (await fetch(`${base}/metrics`)).text()
      expect(metrics).toContain('patchbay_queue_jobs')
    }
    // The worker ran the nodes, so its counters have them.
    const workerMetrics = await (await fetch(`${probesUrl}/metrics`)).text()
    expect(workerMetrics).toMatch(/patchbay_node_attempts_total\{[^}]*node_type="util.wait"[^}]*\} [1-9]/)
  }, 30_000)

  it('refuses to start a worker without Redis, saying what is missing', async () => {
    const lonely = spawnChild(process.execPath, [bin, 'worker'], {
      env: { ...env, REDIS_URL: '', PATCHBAY_WORKER_PORT: '0' },
    })
    children.push(lonely)
    const { code } = await lonely.exited
    expect(code).not.toBe(0)
    expect(lonely.stderr()).toMatch(/a worker needs REDIS_URL and DATABASE_URL/)
  }, 60_000)

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`)
    return JSON.parse(text) as T
  }
})
