// Scale-out of the scaled deployment: throughput of real `patchbay worker` processes (1, 2, 4)
// on PostgreSQL + Redis, for I/O-bound nodes (util.wait) and CPU-bound ones (image.resize).
//
//   npm run bench:scale            (needs PostgreSQL at 127.0.0.1:5432 and Redis at :6379)
//   PATCHBAY_BENCH_RUNS=200 npm run bench:scale
//   PATCHBAY_BENCH_ONLY=cpu npm run bench:scale      (or io)
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Workflow } from '@patchbay/core'
import { builtinRegistry } from '@patchbay/nodes'
import { configFromEnv, openRuntime } from '@patchbay/runtime'
import sharp from 'sharp'
import { type Child, spawnChild } from '../test/support/child-process.ts'
import { openScaledDeployment } from '../test/support/scaled-deployment.ts'

const WORKER_COUNTS = [1, 2, 4]
const RUNS = Number(process.env.PATCHBAY_BENCH_RUNS ?? 120)
const ONLY = process.env.PATCHBAY_BENCH_ONLY

interface Scenario {
  key: 'io' | 'cpu'
  name: string
  /** Node attempts per worker at once. */
  concurrency: number
  /** The workflow of run `index` (distinct per run, so the cache answers nothing). */
  workflow(index: number, imagePath: string): Workflow
  nodesPerRun: number
  /** Extra environment for the workers. */
  env?: NodeJS.ProcessEnv
}

const WAITS = 10
const RESIZES = 6

const scenarios: Scenario[] = [
  {
    key: 'io',
    name: `I/O-bound: ${WAITS} parallel util.wait (250 ms) per run, 8 at once per worker`,
    concurrency: 8,
    nodesPerRun: WAITS + 1,
    workflow: (index) => ({
      schemaVersion: 1,
      name: `io ${index}`,
      inputs: {},
      nodes: [
        { id: 'seed', type: 'text.template', params: { template: `run ${index}` } },
        ...Array.from({ length: WAITS }, (_, wait) => ({ id: `w${wait}`, type: 'util.wait', params: { ms: 250 } })),
      ],
      edges: Array.from({ length: WAITS }, (_, wait) => ({
        id: `e${wait}`,
        source: 'seed',
        sourceHandle: 'text',
        target: `w${wait}`,
        targetHandle: 'value',
      })),
    }),
  },
  {
    key: 'cpu',
    name: `CPU-bound: ${RESIZES} parallel image.resize of a 1600×1200 PNG per run, 1 at once per worker`,
    concurrency: 1,
    nodesPerRun: RESIZES + 1,
    // One libvips thread per node and one node per worker, so that worker processes, not
    // libvips or libuv threads, are what is scaled.
    env: { VIPS_CONCURRENCY: '1', UV_THREADPOOL_SIZE: '1' },
    workflow: (index, imagePath) => ({
      schemaVersion: 1,
      name: `cpu ${index}`,
      inputs: {},
      nodes: [
        { id: 'load', type: 'image.load', params: { path: imagePath } },
        ...Array.from({ length: RESIZES }, (_, resize) => ({
          id: `r${resize}`,
          type: 'image.resize',
          params: { width: 600 + index * RESIZES + resize },
        })),
      ],
      edges: Array.from({ length: RESIZES }, (_, resize) => ({
        id: `e${resize}`,
        source: 'load',
        sourceHandle: 'image',
        target: `r${resize}`,
        targetHandle: 'image',
      })),
    }),
  },
]

async function measure(scenario: Scenario, workerCount: number, imagePath: string, dir: string) {
  const deployment = await openScaledDeployment('scale', {
    PATCHBAY_FILE_ROOTS: dir,
    PATCHBAY_LOG_LEVEL: 'warn',
    ...scenario.env,
  })
  const { env } = deployment
  const api = await openRuntime(configFromEnv(env), { registry: builtinRegistry, purpose: 'bench api', role: 'api' })
  const workers: Child[] = []
  try {
    for (let index = 0; index < workerCount; index++) {
      workers.push(
        spawnChild(
          process.execPath,
          ['packages/cli/bin/patchbay.js', 'worker', '--concurrency', String(scenario.concurrency)],
          {
            env,
          },
        ),
      )
    }
    await Promise.all(workers.map((worker) => worker.waitForLine((line) => line.includes('worker ready'), 120_000)))
    const started = performance.now()
    const ids: string[] = []
    for (let index = 0; index < RUNS; index++) {
      ids.push((await api.engine.startRun({ workflow: scenario.workflow(index, imagePath) })).id)
    }
    const runs = await Promise.all(ids.map((id) => api.engine.waitForRun('default', id)))
    const seconds = (performance.now() - started) / 1000
    const failed = runs.filter((run) => run.status !== 'succeeded').length
    return { runsPerSecond: RUNS / seconds, nodesPerSecond: (RUNS * scenario.nodesPerRun) / seconds, seconds, failed }
  } finally {
    for (const worker of workers) worker.process.kill('SIGTERM')
    await Promise.all(workers.map((worker) => worker.exited))
    await api.close()
    await deployment.drop()
  }
}

const dir = await mkdtemp(join(tmpdir(), 'patchbay-scale-'))
try {
  const imagePath = join(dir, 'photo.png')
  await sharp(randomBytes(1600 * 1200 * 3), { raw: { width: 1600, height: 1200, channels: 3 } })
    .png({ compressionLevel: 1 })
    .toFile(imagePath)
  console.log(
    `bench:scale — ${RUNS} runs per measurement on ${cpus().length} CPU cores; ` +
      'API in this process, workers are `patchbay worker` processes\n',
  )
  for (const scenario of scenarios.filter((item) => !ONLY || item.key === ONLY)) {
    console.log(scenario.name)
    console.log('| workers | runs/s | nodes/s | seconds | failed runs | speed-up vs 1 |')
    console.log('| --- | --- | --- | --- | --- | --- |')
    let baseline: number | undefined
    for (const count of WORKER_COUNTS) {
      const result = await measure(scenario, count, imagePath, dir)
      baseline ??= result.runsPerSecond
      console.log(
        `| ${count} | ${result.runsPerSecond.toFixed(1)} | ${result.nodesPerSecond.toFixed(1)} | ` +
          `${result.seconds.toFixed(1)} | ${result.failed} | ${(result.runsPerSecond / baseline).toFixed(2)}× |`,
      )
    }
    console.log('')
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
process.exit(0)
