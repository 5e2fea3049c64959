import type { ModelGateway, NodeAssets, NodeContext } from '@patchbay/core'
import { childLogger, type Logger } from './logger.ts'
import { createFileReader, createFileResolver } from './policy/local-files.ts'
import { createGuardedFetch, type NetworkPolicy } from './policy/network.ts'

export interface ContextPolicies {
  files: { roots: readonly string[]; baseDir: string }
  network: NetworkPolicy
  /** Minimum time between persisted progress events of one node. */
  progressIntervalMs: number
}

/** The policies of a process's node attempts, from the engine's options. */
export function contextPolicies(options: {
  fileRoots?: readonly string[] | undefined
  baseDir?: string | undefined
  allowPrivateHosts?: readonly string[] | undefined
  progressIntervalMs: number
}): ContextPolicies {
  const allowPrivate = options.allowPrivateHosts ?? []
  return {
    files: { roots: options.fileRoots ?? [], baseDir: options.baseDir ?? process.cwd() },
    network: { allowPrivateHosts: allowPrivate, allowAllPrivate: allowPrivate.includes('*') },
    progressIntervalMs: options.progressIntervalMs,
  }
}

/** A NodeContext for one attempt, plus the means to stop its pending progress reports. */
export interface AttemptContext {
  ctx: NodeContext
  /** Drops a throttled progress report that has not been sent yet. */
  close(): void
}

export function createAttemptContext(args: {
  runId: string
  nodeId: string
  orgId: string
  attempt: number
  signal: AbortSignal
  assets: NodeAssets
  logger: Logger
  policies: ContextPolicies
  models: ModelGateway
  onCost: (usd: number) => void
  onProgress: (progress: number | null, message: string | undefined) => void
}): AttemptContext {
  const { policies, signal } = args
  const readLocalFile = createFileReader(policies.files.roots, policies.files.baseDir)
  const resolveLocalFile = createFileResolver(policies.files.roots, policies.files.baseDir)
  let lastSent = 0
  let timer: NodeJS.Timeout | undefined
  let latest: { progress: number | null; message: string | undefined } | undefined
  const send = () => {
    timer = undefined
    if (!latest || signal.aborted) return
    lastSent = Date.now()
    args.onProgress(latest.progress, latest.message)
    latest = undefined
  }
  const ctx: NodeContext = {
    runId: args.runId,
    nodeId: args.nodeId,
    orgId: args.orgId,
    attempt: args.attempt,
    signal,
    assets: args.assets,
    log: childLogger(args.logger, { runId: args.runId, nodeId: args.nodeId, attempt: args.attempt }),
    progress(fraction, message) {
      const progress = fraction === null || !Number.isFinite(fraction) ? null : Math.min(1, Math.max(0, fraction))
      latest = { progress, message }
      // Throttled: a node reporting every millisecond must not flood the event log.
      const wait = policies.progressIntervalMs - (Date.now() - lastSent)
      if (wait <= 0) send()
      else timer ??= setTimeout(send, wait)
    },
    readFile: (path) => readLocalFile(path, signal),
    localFile: (path) => resolveLocalFile(path),
    fetch: createGuardedFetch(policies.network, signal),
    models: args.models,
    addCost(usd) {
      if (Number.isFinite(usd) && usd >= 0) args.onCost(usd)
    },
  }
  return {
    ctx,
    close() {
      if (timer) clearTimeout(timer)
      timer = undefined
      latest = undefined
    },
  }
}
