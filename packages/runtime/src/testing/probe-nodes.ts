import { type AnyNodeDefinition, defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'

/** What probe nodes observed: every attempt's start and end, and how many ran at once. */
export class Probe {
  readonly log: { runId: string; nodeId: string; attempt: number; phase: 'start' | 'end'; order: number }[] = []
  running = 0
  maxRunning = 0
  private order = 0

  enter(runId: string, nodeId: string, attempt: number): void {
    this.running++
    this.maxRunning = Math.max(this.maxRunning, this.running)
    this.log.push({ runId, nodeId, attempt, phase: 'start', order: this.order++ })
  }

  leave(runId: string, nodeId: string, attempt: number): void {
    this.running--
    this.log.push({ runId, nodeId, attempt, phase: 'end', order: this.order++ })
  }

  /** Attempts started per node id (optionally of one run). */
  starts(runId?: string): Map<string, number> {
    const counts = new Map<string, number>()
    for (const entry of this.log) {
      if (entry.phase === 'start' && (!runId || entry.runId === runId))
        counts.set(entry.nodeId, (counts.get(entry.nodeId) ?? 0) + 1)
    }
    return counts
  }

  reset(): void {
    this.log.length = 0
    this.running = 0
    this.maxRunning = 0
  }
}

const anyIn = { in: { type: 'any', multiple: true } } as const

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })
}

/**
 * Node types for engine tests. Each records its attempts in `probe`; `test.step` can sleep,
 * fail (retryably or not, a number of times), take a branch, or return bad outputs.
 */
export function probeNodes(probe: Probe): Record<string, AnyNodeDefinition> {
  const step = defineNode({
    type: 'test.step',
    version: 1,
    category: 'test',
    title: 'Test step',
    inputs: anyIn,
    outputs: { out: { type: 'any' } },
    params: z.object({
      value: z.unknown().optional(),
      ms: z.number().int().min(0).default(0),
      /** Fail the first N attempts (Infinity: always). */
      failTimes: z.number().min(0).default(0),
      retryable: z.boolean().default(false),
      retryAfterMs: z.number().int().min(0).optional(),
      ignoreSignal: z.boolean().default(false),
      cacheable: z.boolean().default(true),
      /** Shares a concurrency limit with other steps naming the same resource. */
      resource: z.string().optional(),
      /** US dollars each attempt spends (as a model call would), charged before it sleeps. */
      cost: z.number().min(0).default(0),
    }),
    cacheable: (params) => params.cacheable,
    resourceKey: (params) => params.resource,
    async run({ inputs, params, ctx }) {
      probe.enter(ctx.runId, ctx.nodeId, ctx.attempt)
      try {
        ctx.progress(0, 'starting')
        if (params.cost > 0) ctx.addCost(params.cost)
        if (params.ms > 0) await sleep(params.ms, params.ignoreSignal ? undefined : ctx.signal)
        if (ctx.attempt <= params.failTimes) {
          throw new NodeError('TEST_FAILURE', `planned failure of ${ctx.nodeId} (attempt ${ctx.attempt})`, {
            retryable: params.retryable,
            ...(params.retryAfterMs === undefined ? {} : { retryAfterMs: params.retryAfterMs }),
          })
        }
        return { out: params.value ?? { from: ctx.nodeId, inputs: inputs.in ?? [] } }
      } finally {
        probe.leave(ctx.runId, ctx.nodeId, ctx.attempt)
      }
    },
  })
  const branch = defineNode({
    type: 'test.branch',
    version: 1,
    category: 'test',
    title: 'Test branch',
    inputs: anyIn,
    outputs: { a: { type: 'any' }, b: { type: 'any' } },
    params: z.object({ take: z.enum(['a', 'b']) }),
    cacheable: false,
    async run({ params, ctx }) {
      probe.enter(ctx.runId, ctx.nodeId, ctx.attempt)
      probe.leave(ctx.runId, ctx.nodeId, ctx.attempt)
      return params.take === 'a' ? { a: ctx.nodeId } : { b: ctx.nodeId }
    },
  })
  const need = defineNode({
    type: 'test.need',
    version: 1,
    category: 'test',
    title: 'Test node with a required input',
    inputs: { in: { type: 'any', required: true } },
    outputs: { out: { type: 'any' } },
    params: z.object({}),
    cacheable: false,
    async run({ inputs, ctx }) {
      probe.enter(ctx.runId, ctx.nodeId, ctx.attempt)
      probe.leave(ctx.runId, ctx.nodeId, ctx.attempt)
      return { out: inputs.in }
    },
  })
  const badImage = defineNode({
    type: 'test.badImage',
    version: 1,
    category: 'test',
    title: 'Returns inline bytes instead of an asset',
    inputs: {},
    outputs: { image: { type: 'image' } },
    params: z.object({}),
    async run() {
      return { image: 'data:image/png;base64,AAAA' as never }
    },
  })
  return { 'test.step': step, 'test.branch': branch, 'test.need': need, 'test.badImage': badImage }
}
