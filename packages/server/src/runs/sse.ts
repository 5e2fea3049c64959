import { z } from '@hono/zod-openapi'
import type { RunEvent } from '@patchbay/core'
import type { Logger } from '@patchbay/runtime'
import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'

/** How often an idle stream sends a comment, so proxies and browsers keep it open. */
export const heartbeatMs = 15_000

/** The OpenAPI response of an event stream. */
export function eventStreamResponse(description: string) {
  return {
    description,
    content: {
      'text/event-stream': {
        schema: z.string().openapi({
          description:
            'Server-Sent Events. Each message: `id: <seq>`, `event: <type>`, `data: <the event as JSON>` (one line). ' +
            'Lines starting with `:` are heartbeats.',
          example:
            'id: 3\nevent: node.started\ndata: {"type":"node.started","runId":"…","seq":3,"nodeId":"a","attempt":1}\n\n',
        }),
      },
    },
  }
}

/**
 * Answers with a Server-Sent Events stream of `open(signal)`'s events (`signal` aborts when
 * the client goes away or the stream ends). `open` is called before anything is sent, so a
 * client that has read the first bytes knows the feed is subscribed. A failing feed is logged
 * and ends the stream; the client resumes with Last-Event-ID.
 */
export function streamEvents(
  c: Context,
  open: (signal: AbortSignal) => AsyncIterable<RunEvent>,
  logger: Logger,
  heartbeatEveryMs = heartbeatMs,
): Response {
  return streamSSE(c, async (stream) => {
    const controller = new AbortController()
    stream.onAbort(() => controller.abort())
    const heartbeat = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeatEveryMs)
    try {
      const events = open(controller.signal)
      await stream.write(': connected\n\n')
      for await (const event of events) {
        await stream.write(sseMessage(event))
        if (stream.aborted) break
      }
    } catch (error) {
      logger.error('event stream failed', {
        path: c.req.path,
        error: error instanceof Error ? error.message : String(error),
      })
    } finally {
      clearInterval(heartbeat)
      controller.abort()
    }
  })
}

const encoder = new TextEncoder()
/** Encoded messages of live events, which every subscriber of a run shares: encoded once. */
const encoded = new WeakMap<RunEvent, Uint8Array>()

/** `id: <seq>`, `event: <type>`, `data: <JSON>` (JSON.stringify never emits a line break). */
export function sseMessage(event: RunEvent): Uint8Array {
  let message = encoded.get(event)
  if (message === undefined) {
    message = encoder.encode(`id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`)
    encoded.set(event, message)
  }
  return message
}
