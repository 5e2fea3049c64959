import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type PatchbayClient } from '@patchbay/sdk'
import { freePort } from '@patchbay/server/testing'
import { type Child, repoRoot, spawnChild } from '../../support/child-process.ts'

export const webDist = join(repoRoot, 'packages/web/dist')

let built: { ok: boolean; output: string } | undefined

/**
 * Builds packages/web into dist/ unless it is up to date (scripts/build-web.mjs decides, and
 * serialises parallel callers). Once per test process; throws with the build's output on failure.
 */
export function ensureWebBuilt(): void {
  built ??= (() => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-web.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 300_000,
    })
    return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}` }
  })()
  if (!built.ok) throw new Error(`building the web app failed:\n${built.output}`)
}

/** A `patchbay start` child process with a data directory of its own. */
export interface Patchbay {
  url: string
  child: Child
  dataDir: string
  /** An SDK client acting as the local owner (local mode) unless given an API key. */
  client(options?: { apiKey?: string }): PatchbayClient
  close(): Promise<void>
}

export interface StartPatchbayOptions {
  /** Extra environment: provider base URLs and keys, PATCHBAY_LOCAL_MODE=off for sign-up journeys. */
  env?: NodeJS.ProcessEnv
}

/**
 * Starts the real server the way a user does (`patchbay start`) on a free loopback port and
 * resolves once it serves; it serves packages/web/dist at `/`.
 */
export async function startPatchbay(options: StartPatchbayOptions = {}): Promise<Patchbay> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-web-test-'))
  const port = await freePort()
  const child = spawnChild(process.execPath, [join(repoRoot, 'packages/cli/bin/patchbay.js'), 'start'], {
    env: {
      PATCHBAY_DATA_DIR: dataDir,
      PATCHBAY_WEB_DIST: webDist,
      PORT: String(port),
      HOST: '127.0.0.1',
      PATCHBAY_LOG_LEVEL: 'warn',
      // Journeys sign many people up and in from 127.0.0.1 within a minute.
      PATCHBAY_RATE_LIMIT_SIGN_UP: '0',
      PATCHBAY_RATE_LIMIT_SIGN_UP_PER_HOUR: '0',
      PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ADDRESS: '0',
      ...options.env,
    },
  })
  try {
    const line = await child.waitForLine((text) => text.startsWith('Patchbay is running at'), 90_000)
    const url = (/at (http:\/\/\S+)/.exec(line)?.[1] ?? `http://127.0.0.1:${port}`).replace(/\/$/, '')
    return {
      url,
      child,
      dataDir,
      client: (clientOptions = {}) => createClient({ baseUrl: url, ...clientOptions }),
      close: async () => {
        await stop(child)
        await rm(dataDir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stop(child)
    await rm(dataDir, { recursive: true, force: true })
    throw error
  }
}

async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return
  child.process.kill('SIGTERM')
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 10_000)
  await child.exited
  clearTimeout(timer)
}
