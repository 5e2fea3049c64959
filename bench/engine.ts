/**
 * Engine benchmark: per-node overhead on a long chain, parallel efficiency on a wide
 * fan-out, and that an unchanged re-run executes nothing — on PGlite and on PostgreSQL.
 *
 *   npm run bench:engine                     # both databases (PostgreSQL when reachable)
 *   PATCHBAY_BENCH_DATABASES=pglite npm run bench:engine   # any of pglite,postgres,memory
 */
import { randomUUID } from 'node:crypto'
import type { RunEvent } from '@patchbay/core'
import { createTestDatabase, isPostgresReachable, postgresUrlForTests } from '@patchbay/db/testing'
import { builtinNodes } from '@patchbay/nodes'
import type { RunEngine as Engine } from '@patchbay/runtime'
import { createTestEngine } from '@patchbay/runtime/testing'
import { openTarget, type Target } from './open-target.ts'
import { chain, fanOut } from './workflows.ts'

const CHAIN = 1000
const WIDTH = 500
const WAIT_MS = 200
const REPEATS = 3

/** Runs a workflow to completion; returns wall time and how many nodes executed or came from cache. */
async function timeRun(engine: Engine, workflow: unknown) {
  const counts = { started: 0, cached: 0, runMs: 0 }
  const onEvent = (event: RunEvent) => {
    if (event.type === 'node.started') counts.started++
    if (event.type === 'node.cached') counts.cached++
    if (event.type === 'run.finished') counts.runMs = event.durationMs
  }
  const start = performance.now()
  const run = await engine.startRun({ workflow, onEvent })
  const finished = await engine.waitForRun(run.orgId, run.id)
  const ms = performance.now() - start
  if (finished.status !== 'succeeded')
    throw new Error(`run ${run.id} ended ${finished.status}: ${finished.error?.message}`)
  return { ms, ...counts }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

async function benchmark(name: string, target: Target) {
  const { engine } = target
  try {
    await timeRun(engine, chain(CHAIN, 'warm-up')) // JIT and connection warm-up, not measured
    const chains = []
    for (let i = 0; i < REPEATS; i++) chains.push(await timeRun(engine, chain(CHAIN, `salt-${i}-${randomUUID()}`)))
    const fans = []
    for (let i = 0; i < REPEATS; i++)
      fans.push(await timeRun(engine, fanOut(WIDTH, WAIT_MS, `salt-${i}-${randomUUID()}`)))
    const lastChain = chain(CHAIN, `cached-${randomUUID()}`)
    await timeRun(engine, lastChain)
    const chainAgain = await timeRun(engine, lastChain)
    const lastFan = fanOut(WIDTH, WAIT_MS, `cached-${randomUUID()}`)
    await timeRun(engine, lastFan)
    const fanAgain = await timeRun(engine, lastFan)

    const chainMs = median(chains.map((run) => run.ms))
    const fanMs = median(fans.map((run) => run.ms))
    const bestFanMs = Math.min(...fans.map((run) => run.ms))
    const fanRunMs = median(fans.map((run) => run.runMs))
    console.log(`\n${name}`)
    console.log(
      `  chain of ${CHAIN} text.template nodes   ${chainMs.toFixed(0)} ms  →  ${(chainMs / CHAIN).toFixed(2)} ms per node (median of ${REPEATS})`,
    )
    console.log(
      `  fan-out of ${WIDTH} × util.wait ${WAIT_MS} ms     ${fanMs.toFixed(0)} ms  →  ideal/actual ${(WAIT_MS / fanMs).toFixed(2)} (median; best ${(WAIT_MS / bestFanMs).toFixed(2)})`,
    )
    console.log(
      `    of which the run itself            ${fanRunMs.toFixed(0)} ms  →  ideal/actual ${(WAIT_MS / fanRunMs).toFixed(2)} (run.started → run.finished, as the run reports it; the rest is validating, saving the version and committing the last events)`,
    )
    console.log(
      `  unchanged re-run                   chain: ${chainAgain.started} executed, ${chainAgain.cached} cached in ${chainAgain.ms.toFixed(0)} ms;` +
        ` fan-out: ${fanAgain.started} executed, ${fanAgain.cached} cached in ${fanAgain.ms.toFixed(0)} ms`,
    )
    return {
      name,
      perNodeMs: chainMs / CHAIN,
      fanOutRatio: WAIT_MS / fanMs,
      rerunExecuted: chainAgain.started + fanAgain.started,
    }
  } finally {
    await target.close()
  }
}

async function withPostgresDatabase<T>(use: (url: string) => Promise<T>): Promise<T | undefined> {
  if (!(await isPostgresReachable())) {
    console.log(`\nPostgreSQL: skipped (nothing answers at ${postgresUrlForTests()})`)
    return undefined
  }
  const database = await createTestDatabase()
  try {
    return await use(database.url)
  } finally {
    await database.drop()
  }
}

const wanted = (process.env.PATCHBAY_BENCH_DATABASES ?? 'pglite,postgres,memory').split(',')
console.log(`Patchbay engine benchmark · node ${process.version} · ${new Date().toISOString()}`)
if (wanted.includes('pglite')) await benchmark('PGlite (embedded)', await openTarget(undefined))
if (wanted.includes('postgres'))
  await withPostgresDatabase(async (url) => benchmark('PostgreSQL', await openTarget(url)))
// The engine alone, with nothing persisted: separates scheduling cost from persistence cost.
if (wanted.includes('memory')) {
  const memory = createTestEngine({ nodes: builtinNodes, concurrency: 1024 })
  await benchmark('Memory store (no persistence; the engine alone, for comparison)', memory)
}
