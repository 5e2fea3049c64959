import type { RunEvent } from '@patchbay/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { streamEvents } from './sse.ts'
import { readSse, type SseItem } from './sse-reader.ts'

const event = (seq: number, type: RunEvent['type'] = 'node.started') =>
  ({ type, runId: 'r', seq, time: 't', nodeId: 'a\nb', attempt: 1 }) as RunEvent

const logged: unknown[] = []
const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => void logged.push(message) }

function serve(open: (signal: AbortSignal) => AsyncIterable<RunEvent>, heartbeatMs = 15_000) {
  return new Hono().get('/', (c) => streamEvents(c, open, logger, heartbeatMs))
}

async function items(response: Response, count: number): Promise<SseItem[]> {
  const read: SseItem[] = []
  for await (const item of readSse(response.body as ReadableStream<Uint8Array>)) {
    read.push(item)
    if (read.length === count) break
  }
  return read
}

describe('streamEvents', () => {
  it('opens with a comment, then sends each event as id, event and one line of JSON data', async () => {
    const response = await serve(async function* () {
      yield event(1)
      yield event(2, 'run.finished')
    }).request('/')
    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    const text = await response.text()
    expect(text).toBe(
      `: connected\n\nid: 1\nevent: node.started\ndata: ${JSON.stringify(event(1))}\n\n` +
        `id: 2\nevent: run.finished\ndata: ${JSON.stringify(event(2, 'run.finished'))}\n\n`,
    )
  })

  it('sends heartbeats while nothing happens, and stops the feed when the client leaves', async () => {
    let stopped: AbortSignal | undefined
    const response = await serve((signal) => {
      stopped = signal
      return (async function* () {
        await new Promise((resolve) => signal.addEventListener('abort', resolve))
      })()
    }, 10).request('/')
    expect(await items(response, 3)).toEqual([
      { comment: 'connected' },
      { comment: 'heartbeat' },
      { comment: 'heartbeat' },
    ])
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(stopped?.aborted).toBe(true)
  })

  it('ends the stream when the feed fails, and logs why', async () => {
    const response = await serve(async function* () {
      yield event(1)
      throw new Error('the store went away')
    }).request('/')
    expect((await response.text()).match(/^id: /gm)).toHaveLength(1)
    expect(logged).toContain('event stream failed')
  })
})
