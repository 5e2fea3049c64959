import { NodeError } from '@patchbay/core'
import { reasonOf } from '../support/reason.ts'

/**
 * The concurrency group of the local-AI nodes: they compete for the same CPU cores and memory,
 * so an operator may cap them together (`resourceLimits: { 'local-ai': 1 }`).
 */
export const LOCAL_AI_RESOURCE = 'local-ai'

/**
 * Imports an optional local-AI package (an `optionalDependencies` entry of `@patchbay/nodes`)
 * at run time, so that importing `@patchbay/nodes` stays fast and a missing package only
 * breaks the nodes that need it. The specifier goes through a variable on purpose: neither
 * TypeScript nor the bundler then needs the package to be installed, and callers describe the
 * few functions they use with their own types.
 *
 * Fails with `LOCAL_MODEL_MISSING` when the package (or one it needs) is not installed, and
 * with `LOCAL_MODEL_FAILED` when it is there but cannot load, e.g. a native binding built for
 * another platform. Neither is retried.
 */
export async function importLocalPackage(
  specifier: string,
  range: string,
  options: { installHint?: string } = {},
): Promise<unknown> {
  try {
    return await import(specifier)
  } catch (cause) {
    const reason = reasonOf(cause)
    if (isModuleNotFound(cause)) {
      throw new NodeError(
        'LOCAL_MODEL_MISSING',
        `the local model package ${specifier} is not installed (${reason}); install it with ` +
          (options.installHint ??
            `"npm install" in the Patchbay directory (without --omit=optional), or ` +
              `"npm install ${specifier}@${range} -w @patchbay/nodes"`),
        { cause, details: { package: specifier } },
      )
    }
    throw new NodeError('LOCAL_MODEL_FAILED', `the local model package ${specifier} could not be loaded (${reason})`, {
      cause,
      details: { package: specifier },
    })
  }
}

/**
 * Wraps an expensive async loader so each key loads once per process and every caller shares
 * the same promise. A failed load is forgotten, so a later call tries again.
 */
export function loadOnce<K, V>(load: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>()
  return (key) => {
    let pending = cache.get(key)
    if (pending === undefined) {
      pending = load(key)
      cache.set(key, pending)
      pending.catch(() => cache.delete(key))
    }
    return pending
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true
  return /cannot find (package|module)|failed to load url/i.test(reasonOf(error))
}
