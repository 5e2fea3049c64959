import type { AssetStore } from '@patchbay/storage'
import type { Runtime } from '../open-runtime.ts'

/** One dependency check: resolves when the dependency answers, rejects (or hangs) when it does not. */
export type ReadinessCheck = () => Promise<void>

export interface CheckResult {
  ok: boolean
  /** How long the check took (or until it timed out), in milliseconds. */
  ms: number
  /** A short error class or code (`ECONNREFUSED`, `timeout`, `NoSuchBucket`), never a message. */
  error?: string
}

export interface Readiness {
  ready: boolean
  checks: Record<string, CheckResult>
}

/**
 * Runs every check at once, each under its own time limit, and reports whether all passed.
 * Failures are reduced to a code or error class: messages of database and storage drivers
 * often quote the connection string, and `/ready` may be reachable by anyone.
 *
 * @example
 * const readiness = await checkReadiness({ database: () => store.ping(), assets: assetStoreCheck(assets) })
 * return c.json(readiness, readiness.ready ? 200 : 503)
 */
export async function checkReadiness(checks: Record<string, ReadinessCheck>, timeoutMs = 2000): Promise<Readiness> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const),
  )
  return { ready: entries.every(([, result]) => result.ok), checks: Object.fromEntries(entries) }
}

const timedOut = Symbol('timeout')

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now()
  const elapsed = () => Math.round(performance.now() - started)
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<typeof timedOut>((resolve) => {
    timer = setTimeout(() => resolve(timedOut), timeoutMs)
    timer.unref()
  })
  try {
    // A check that throws synchronously counts as failed, like one that rejects.
    const outcome = await Promise.race([Promise.resolve().then(check), timeout])
    if (outcome === timedOut) return { ok: false, ms: elapsed(), error: 'timeout' }
    return { ok: true, ms: elapsed() }
  } catch (error) {
    return { ok: false, ms: elapsed(), error: errorCode(error) }
  } finally {
    clearTimeout(timer)
  }
}

/** A code (`ECONNREFUSED`, `57P01`, `NO_SUCH_KEY`) or the error's class name; never its message. */
export function errorCode(error: unknown): string {
  const code = codeOf(error) ?? codeOf((error as { cause?: unknown } | undefined)?.cause)
  if (code) return code
  // Node's net module reports a refused dual-stack connect as an AggregateError of attempts.
  const inner = (error as { errors?: unknown } | undefined)?.errors
  if (Array.isArray(inner)) {
    const first = inner.map(codeOf).find((value) => value !== undefined)
    if (first) return first
  }
  if (error instanceof Error && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(error.name)) return error.name
  return 'error'
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code) ? code : undefined
}

/** A well-formed key that no blob has: asking whether it exists is the cheapest storage round trip. */
const probeKey = '0'.repeat(64)

/** The asset store's check: its own `ping` (an S3 bucket's HEAD), else a lookup of a key no blob has. */
export function assetStoreCheck(assets: AssetStore): ReadinessCheck {
  return async () => {
    if (assets.ping) await assets.ping()
    else await assets.exists(probeKey)
  }
}

/**
 * What `/ready` checks in every process, API server or worker: the database, the asset store,
 * what the engine depends on (its Redis, when it has one), and `extra`.
 */
export function runtimeReadinessChecks(
  runtime: Runtime,
  extra: Record<string, ReadinessCheck> = {},
): Record<string, ReadinessCheck> {
  return {
    database: () => runtime.store.ping(),
    assets: assetStoreCheck(runtime.assets),
    ...runtime.engine.readinessChecks(),
    ...extra,
  }
}
