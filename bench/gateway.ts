/**
 * Gateway benchmark: 200 concurrent `image.generate` nodes against a loopback provider that
 * answers each request after 1 s, with the provider's concurrency limit at 50. Ideal wall
 * time is 200 / 50 × 1 s = 4 s. Also prints the process's peak RSS: generated images go to the
 * asset store as they arrive, so memory must not grow with the number of images.
 *
 *   npm run bench:gateway                                  # memory store, then embedded PGlite
 *   PATCHBAY_BENCH_DATABASES=pglite npm run bench:gateway  # one of them
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Store } from '@patchbay/db'
import { builtinNodes, builtinRegistry } from '@patchbay/nodes'
import { gatewayFromEnv } from '@patchbay/providers'
import { openRuntime, type RunEngine } from '@patchbay/runtime'
import { createTestEngine } from '@patchbay/runtime/testing'

const NODES = 200
const LIMIT = 50
const LATENCY_MS = 1000
const REPEATS = 3

function wideWorkflow(round: number) {
  const nodes: unknown[] = [
    { id: 'prompt', type: 'input.text', params: { value: `a lighthouse at night, take ${round}` } },
  ]
  const edges: unknown[] = []
  for (let i = 0; i < NODES; i++) {
    // No seed: every node is a fresh generation, never served from cache.
    nodes.push({ id: `gen${i}`, type: 'image.generate', params: { model: 'openai/gpt-image-1', size: '256x256' } })
    edges.push({ id: `e${i}`, source: 'prompt', sourceHandle: 'text', target: `gen${i}`, targetHandle: 'prompt' })
  }
  return { schemaVersion: 1, name: `gateway bench ${round}`, nodes, edges }
}

async function startProvider(): Promise<{ url: string; stop(): void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bench/support/fake-openai-server.ts', String(LATENCY_MS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`fake provider exited with ${code}`)))
    createInterface({ input: child.stdout }).once('line', resolve)
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const ideal = (NODES / LIMIT) * LATENCY_MS

async function measure(label: string, engine: RunEngine, store: Store): Promise<void> {
  const baselineRss = process.memoryUsage().rss
  let peakRss = baselineRss
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }, 10)
  console.log(`\n${label}: RSS before the first run ${mb(baselineRss)}`)
  console.log('round  wall time  ideal/actual  images stored  peak RSS  growth')
  try {
    for (let round = 1; round <= REPEATS; round++) {
      const started = performance.now()
      const retries = new Map<string, number>()
      const run = await engine.startRun({
        workflow: wideWorkflow(round),
        onEvent: (event) => {
          if (event.type === 'node.retrying') retries.set(event.error.code, (retries.get(event.error.code) ?? 0) + 1)
        },
      })
      const finished = await engine.waitForRun(run.orgId, run.id)
      const ms = performance.now() - started
      if (finished.status !== 'succeeded') throw new Error(`run ended ${finished.status}: ${finished.error?.message}`)
      const nodes = await store.listNodeExecutions(run.id)
      const images = nodes.filter((node) => node.nodeType === 'image.generate' && node.outputs?.image).length
      console.log(
        `${String(round).padEnd(5)}  ${(ms / 1000).toFixed(2).padStart(7)} s  ${(ideal / ms).toFixed(2).padStart(12)}  ${String(images).padStart(13)}  ${mb(peakRss).padStart(8)}  ${mb(peakRss - baselineRss).padStart(6)}${retries.size > 0 ? `  retries: ${JSON.stringify(Object.fromEntries(retries))}` : ''}`,
      )
    }
  } finally {
    clearInterval(sampler)
  }
}

const provider = await startProvider()
const env = {
  ...process.env,
  OPENAI_BASE_URL: `${provider.url}/v1`,
  OPENAI_API_KEY: 'test-key',
  PATCHBAY_PROVIDER_CONCURRENCY: `openai=${LIMIT}`,
}
const { gateway, resourceLimits } = gatewayFromEnv(env)
const targets = (process.env.PATCHBAY_BENCH_DATABASES ?? 'pglite,memory').split(',')
console.log(
  `${NODES} image.generate nodes, provider answers after ${LATENCY_MS} ms, limit ${LIMIT} → ideal ${ideal / 1000} s`,
)
try {
  if (targets.includes('memory')) {
    const memory = createTestEngine({ nodes: builtinNodes, models: gateway, resourceLimits })
    await measure('memory store (the gateway and engine alone)', memory.engine, memory.store)
    await memory.close()
  }
  if (targets.includes('pglite')) {
    const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-bench-gateway-'))
    const runtime = await openRuntime(
      {
        dataDir,
        databaseUrl: undefined,
        concurrency: 256,
        perRunConcurrency: Number.POSITIVE_INFINITY,
        fileRoots: [],
        allowPrivateHosts: [],
      },
      { registry: builtinRegistry, purpose: 'bench', models: gateway, resourceLimits },
    )
    await measure('embedded PGlite + local files (the default install)', runtime.engine, runtime.store)
    await runtime.close()
    await rm(dataDir, { recursive: true, force: true })
  }
} finally {
  provider.stop()
}
