import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'
import type { Logger } from '../logger.ts'
import { recordCredentials } from '../secrets/secret-scope.ts'

/**
 * A node that behaves like a provider quoting its key back: it looks `key` up through a
 * recording credential lookup, puts it in a progress message, a log line and, with
 * `fail: true` (the default), a retryable error; with `fail: false`, in its output.
 */
export function echoKeyNode(key: string) {
  const lookup = recordCredentials({ get: async () => key })
  return defineNode({
    type: 'test.echo-key',
    version: 1,
    category: 'test',
    title: 'Echo key',
    inputs: {},
    outputs: { text: { type: 'text' } },
    params: z.object({ fail: z.boolean().default(true) }),
    retry: { maxAttempts: 2, initialDelayMs: 1, jitter: 0 },
    async run({ params, ctx }) {
      const value = await lookup.get(ctx.orgId, 'PROXY_KEY')
      ctx.progress(0.5, `calling with ${value}`)
      ctx.log.warn(`sending ${value}`, { header: `Bearer ${value}`, url: `?k=${encodeURIComponent(value ?? '')}` })
      if (!params.fail) return { text: `the proxy said: your key is ${value}` }
      throw new NodeError('PROVIDER_AUTH', `Incorrect API key provided: ${value}`, {
        retryable: true,
        details: { body: JSON.stringify({ error: { message: `bad key ${value}` } }) },
      })
    },
  })
}

/** A logger that keeps every line (message and data as JSON), for tests that look for leaks. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const write = (message: string, data?: Record<string, unknown>) => lines.push(JSON.stringify({ message, data }))
  return { lines, logger: { debug: write, info: write, warn: write, error: write } }
}
