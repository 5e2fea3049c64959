import type { ModelGateway, NodeAssets, NodeContext } from '@patchbay/core'
import { childLogger, type Logger } from './logger.ts'
import { createFileReader, createFileResolver } from './policy/local-files.ts'
import { createGuardedFetch, type NetworkPolicy } from './policy/network.ts'
import { SecretScope } from './secrets/secret-scope.ts'

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
  /**
   * The credential values the attempt looked up: its progress messages and `ctx.log` lines
   * are scrubbed of them here, its outcome by `runAttempt`.
   */
  secrets: SecretScope
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
  const secrets = new SecretScope()
  const readLocalFile = createFileReader(policies.files.roots, policies.files.baseDir)
  const resolveLocalFile = createFileResolver(policies.files.roots, policies.files.baseDir)
  let lastSent = 0
  let timer: NodeJS.Timeout | undefined
  let latest: { progress: number | null; message: string | undefined } | undefined
  const send = () => {
    timer = undefined
    if (!latest || signal.aborted) return
    lastSent = Date.now()
    const { message } = latest
    args.onProgress(latest.progress, message === undefined ? undefined : secrets.scrub(message))
    latest = undefined
  }
  const ctx: NodeContext = {
    runId: args.runId,
    nodeId: args.nodeId,
    orgId: args.orgId,
    attempt: args.attempt,
    signal,
    assets: args.assets,
    log: scrubbedLogger(
      childLogger(args.logger, { runId: args.runId, nodeId: args.nodeId, attempt: args.attempt }),
      secrets,
    ),
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
    secrets,
    close() {
      if (timer) clearTimeout(timer)
      timer = undefined
      latest = undefined
    },
  }
}

/** `logger` with the attempt's credential values removed from every message and datum. */
function scrubbedLogger(logger: Logger, secrets: SecretScope): Logger {
  const write = (level: keyof Logger) => (message: string, data?: Record<string, unknown>) =>
    logger[level](secrets.scrub(message), data && secrets.scrubValue(data))
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}
