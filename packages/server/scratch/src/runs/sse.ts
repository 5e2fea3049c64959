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
            'Server-Sent Events. Each message: `id: <seq>`, `event: <type>`, `data: <the event as JSON>`. ' +
            'Lines starting with `:` are heartbeats.',
          example:
            'event: node.started\ndata: {"type":"node.started","runId":"…","seq":3,"nodeId":"a","attempt":1}\nid: 3\n\n',
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
        await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) })
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
