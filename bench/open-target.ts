import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { builtinRegistry } from '@patchbay/nodes'
import { openRuntime, type RunEngine } from '@patchbay/runtime'

export interface Target {
  engine: RunEngine
  close(): Promise<void>
}

/** An embedded (PGlite) or PostgreSQL runtime in a temporary data directory, unthrottled. */
export async function openTarget(databaseUrl: string | undefined): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-bench-'))
  const runtime = await openRuntime(
    {
      dataDir,
      databaseUrl,
      concurrency: 1024,
      perRunConcurrency: Number.POSITIVE_INFINITY,
      fileRoots: [],
      allowPrivateHosts: [],
    },
    { registry: builtinRegistry, purpose: 'bench' },
  )
  return {
    engine: runtime.engine,
    async close() {
      await runtime.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}
