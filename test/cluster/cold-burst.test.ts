import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { redisSuiteEnabled } from '@patchbay/runtime/testing'
import { freePort } from '@patchbay/server/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Child, repoRoot, spawnChild } from '../support/child-process.ts'
import { openScaledDeployment, type ScaledDeployment } from '../support/scaled-deployment.ts'

// A burst of `POST /runs?wait` at a scaled process that has just become ready. Each run has a
// workflow of its own, so every node task finds the engine's graph cache cold: claims that
// read the version while holding their run's lock once took two pool connections each, and a
// burst of them (as many as the pool has connections) starved the pool for 10 s, answering
// 500 `timeout exceeded when trying to connect` — also to runs already committed, whose
// clients would then start them again.

const bin = join(repoRoot, 'packages/cli/bin/patchbay.js')
const BURST = Number(process.env.PATCHBAY_BURST_RUNS ?? 100)
const enabled = (await postgresSuiteEnabled('cold burst')) && (await redisSuiteEnabled('cold burst'))

interface Answer {
  status: number
  retryAfter: string | null
  body: { id?: string; status?: string; error?: { code: string; message: string } }
}

describe.skipIf(!enabled)('a cold scaled process under a burst of POST /runs?wait', () => {
  let deployment: ScaledDeployment
  let api: Child
  let apiUrl: string

  beforeAll(async () => {
    deployment = await openScaledDeployment('cold-burst', {
      PATCHBAY_AUTH_SECRET: randomBytes(32).toString('base64'),
      PATCHBAY_RATE_LIMIT_RUNS: '100000',
      PATCHBAY_LOG_LEVEL: 'warn',
    })
    // `patchbay start` with REDIS_URL serves the API and executes node tasks (16 at once, the
    // default), so requests and claims share one pool of 10 connections: the tightest case.
    const port = await freePort()
    api = spawnChild(process.execPath, [bin, 'start'], {
      env: { ...deployment.env, PORT: String(port), HOST: '127.0.0.1' },
    })
    apiUrl = `http://127.0.0.1:${port}`
    await api.waitForLine((line) => line.startsWith('Patchbay is running at'), 90_000)
    expect((await fetch(`${apiUrl}/ready`)).status).toBe(200)
  }, 120_000)

  afterAll(async () => {
    if (api && api.process.exitCode === null) api.process.kill('SIGKILL')
    await api?.exited
    await deployment?.drop()
  }, 60_000)

  it(`answers every run of a burst of ${BURST} with its id, never 500`, async () => {
    const workflowIds: string[] = []
    for (let index = 0; index < BURST; index++) {
      const saved = await post('/workflows', workflowOf(index))
      expect(saved.status, JSON.stringify(saved.body)).toBe(201)
      workflowIds.push(saved.body.id as string)
    }

    const answers = await Promise.all(workflowIds.map((workflowId) => post('/runs?wait=60', { workflowId })))

    const byStatus = new Map<number, number>()
    for (const answer of answers) byStatus.set(answer.status, (byStatus.get(answer.status) ?? 0) + 1)
    const summary = JSON.stringify(Object.fromEntries(byStatus))
    // Overload may refuse a request (503 + Retry-After, nothing started); nothing may fail.
    for (const answer of answers) {
      expect([200, 202, 503], `${summary}: ${JSON.stringify(answer.body)}`).toContain(answer.status)
      if (answer.status === 503) {
        expect(answer.body.error?.code).toBe('SERVICE_UNAVAILABLE')
        expect(Number(answer.retryAfter)).toBeGreaterThan(0)
      }
    }
    // Every run in the database was answered with its id, and every id answered is a run.
    const returned = answers.flatMap((answer) => (answer.status < 300 && answer.body.id ? [answer.body.id] : []))
    expect(new Set(returned).size).toBe(returned.length)
    expect((await storedRunIds()).sort()).toEqual(returned.sort())
    // A process warm before it says ready takes this burst without refusing any of it.
    expect(byStatus.get(503) ?? 0, summary).toBe(0)
  }, 240_000)

  async function post(path: string, body: unknown): Promise<Answer> {
    const response = await fetch(`${apiUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Answer['body'],
    }
  }

  async function storedRunIds(): Promise<string[]> {
    const client = new pg.Client({ connectionString: deployment.env.DATABASE_URL })
    await client.connect()
    try {
      return (await client.query<{ id: string }>('select id from runs')).rows.map((row) => row.id)
    } finally {
      await client.end()
    }
  }
})

/** A two-node workflow whose document (so whose version) is its own. */
function workflowOf(index: number) {
  return {
    schemaVersion: 1,
    name: `burst ${index}`,
    nodes: [
      { id: 'text', type: 'input.text', params: { value: `run ${index}` } },
      { id: 'out', type: 'output', params: { name: 'text' } },
    ],
    edges: [{ id: 'e', source: 'text', sourceHandle: 'text', target: 'out', targetHandle: 'value' }],
  }
}
