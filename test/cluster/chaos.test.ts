import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createRegistry, isTerminalRun, type RunEvent } from '@patchbay/core'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { builtinNodes } from '@patchbay/nodes'
import { configFromEnv, openRuntime, type Runtime } from '@patchbay/runtime'
import { redisSuiteEnabled } from '@patchbay/runtime/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countNode } from '../fixtures/count-node.ts'
import { type Child, spawnTs } from '../support/child-process.ts'
import { openScaledDeployment, type ScaledDeployment } from '../support/scaled-deployment.ts'
import { chaosWorkflow } from './chaos-workflow.ts'

const RUNS = Number(process.env.PATCHBAY_CHAOS_RUNS ?? 200)
const WORKERS = 3

const enabled = (await postgresSuiteEnabled('cluster chaos')) && (await redisSuiteEnabled('cluster chaos'))

/**
 * 200 runs of a 20-node workflow (branches, joins, `util.wait`) across 3 worker processes,
 * while a random worker is SIGKILLed every few seconds (never the last one up) and replaced. Every run must succeed,
 * and the counter in `test.count` must show that no node started after it had finished.
 */
describe.skipIf(!enabled)('cluster under chaos: workers SIGKILLed mid-run', () => {
  let deployment: ScaledDeployment
  let api: Runtime
  let env: NodeJS.ProcessEnv
  const workers: Child[] = []

  beforeAll(async () => {
    deployment = await openScaledDeployment('chaos', {
      PATCHBAY_LEASE_MS: '2000',
      PATCHBAY_SWEEP_INTERVAL_MS: '2000',
      PATCHBAY_LOG_LEVEL: 'warn',
      CHAOS_CONCURRENCY: '8',
    })
    env = { ...deployment.env, CHAOS_LOG: join(deployment.dir, 'executions.log') }
    await writeFile(env.CHAOS_LOG as string, '')
    const registry = createRegistry({ ...builtinNodes, 'test.count': countNode(env.CHAOS_LOG as string) })
    api = await openRuntime(configFromEnv(env), { registry, purpose: 'chaos api', role: 'api' })
  }, 120_000)

  afterAll(async () => {
    for (const worker of workers) worker.process.kill('SIGKILL')
    await Promise.all(workers.map((worker) => worker.exited))
    await api?.close()
    await deployment?.drop()
  }, 120_000)

  function ready(): Child[] {
    return workers.filter(
      (worker) =>
        worker.process.exitCode === null &&
        !worker.process.killed &&
        worker.lines.some((line) => line.startsWith('worker ready')),
    )
  }

  function startWorker(): Child {
    const worker = spawnTs('test/fixtures/cluster-worker.ts', [], { env })
    workers.push(worker)
    return worker
  }

  it(`${RUNS} runs succeed and no finished node executes again`, async () => {
    const started = Array.from({ length: WORKERS }, () => startWorker())
    await Promise.all(started.map((worker) => worker.waitForLine((line) => line.startsWith('worker ready'))))

    const runIds: string[] = []
    for (let index = 0; index < RUNS; index++) {
      runIds.push((await api.engine.startRun({ workflow: chaosWorkflow, inputs: {} })).id)
    }

    let kills = 0
    let chaos = true
    const chaosLoop = (async () => {
      while (chaos) {
        await sleep(1500 + Math.random() * 1500)
        if (!chaos) break
        // A victim that is up and taking tasks (one still booting tests nothing), and never the
        // last one: the fleet keeps making progress while replacements boot.
        const alive = ready()
        if (alive.length < 2) continue
        const victim = alive[Math.floor(Math.random() * alive.length)]
        if (!victim) continue
        victim.process.kill('SIGKILL')
        kills++
        startWorker()
      }
    })()

    const deadline = Date.now() + 420_000
    let unfinished = runIds.length
    let lastReport = Date.now()
    while (unfinished > 0 && Date.now() < deadline) {
      await sleep(500)
      unfinished = (await api.store.listUnfinishedRuns()).length
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now()
        console.info(`chaos: ${unfinished} of ${RUNS} runs unfinished, ${kills} kills so far`)
      }
    }
    chaos = false
    await chaosLoop

    const runs = await Promise.all(runIds.map((id) => api.store.getRun('default', id)))
    const statuses = countBy(runs.map((run) => run?.status ?? 'missing'))
    expect(statuses).toEqual({ succeeded: RUNS })
    expect(runs.every((run) => run && isTerminalRun(run.status))).toBe(true)

    // Exactly one outcome per node, and no attempt that started after its node had finished.
    const finishedAt = new Map<string, number>()
    let lostAttempts = 0
    for (const runId of runIds) {
      const events: RunEvent[] = await api.store.listEvents(runId, 0, 10_000)
      // util.wait is cacheable, so later runs may answer it from the cache instead.
      const succeeded = countBy(
        events.filter((event) => event.type === 'node.succeeded' || event.type === 'node.cached').map(nodeOf),
      )
      expect(Object.keys(succeeded)).toHaveLength(chaosWorkflow.nodes.length)
      expect(Object.values(succeeded).every((count) => count === 1)).toBe(true)
      lostAttempts += events.filter(
        (event) => event.type === 'node.retrying' && event.error.code === 'WORKER_LOST',
      ).length
      for (const node of await api.store.listNodeExecutions(runId)) {
        finishedAt.set(`${runId} ${node.nodeId}`, node.finishedAt?.getTime() ?? Number.POSITIVE_INFINITY)
      }
    }
    const executions = (await readFile(env.CHAOS_LOG as string, 'utf8')).trim().split('\n')
    const afterFinish = executions.filter((line) => {
      const [time, runId, nodeId] = line.split(' ')
      return Number(time) > (finishedAt.get(`${runId} ${nodeId}`) ?? Number.POSITIVE_INFINITY)
    })
    console.info(
      `chaos: ${RUNS} runs, ${kills} workers SIGKILLed, ${lostAttempts} attempts retried after a lost worker, ` +
        `${executions.length} test.count executions, ${afterFinish.length} after their node had finished`,
    )
    expect(afterFinish).toEqual([])
    expect(kills).toBeGreaterThanOrEqual(3)
  }, 480_000)
})

function nodeOf(event: RunEvent): string {
  return 'nodeId' in event ? event.nodeId : ''
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1
  return counts
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
