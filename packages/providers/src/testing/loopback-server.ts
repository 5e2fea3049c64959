import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the fake provider received it, for tests to assert on. */
export interface RecordedRequest {
  method: string
  /** Path without the query string. */
  path: string
  query: URLSearchParams
  /** Lower-cased header names. */
  headers: Record<string, string>
  body: Buffer
  /** The body parsed as JSON when the Content-Type says JSON. */
  json: unknown
}

export type LoopbackHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

/**
 * Starts an HTTP server on 127.0.0.1 with a free port. Every request is recorded with its
 * whole body before the handler runs; a handler that throws answers 500 with the message.
 */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = []
  const server = createServer((incoming, response) => {
    void record(incoming).then(async (request) => {
      requests.push(request)
      try {
        await handler(request, response)
      } catch (error) {
        if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } })
        else response.destroy()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

async function record(incoming: IncomingMessage): Promise<RecordedRequest> {
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks)
  const url = new URL(incoming.url ?? '/', 'http://127.0.0.1')
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  let json: unknown
  if ((headers['content-type'] ?? '').includes('json') && body.length > 0) {
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch {
      json = undefined
    }
  }
  return { method: incoming.method ?? 'GET', path: url.pathname, query: url.searchParams, headers, body, json }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  response.end(text)
}

export function sendBytes(response: ServerResponse, status: number, bytes: Uint8Array, mime: string): void {
  response.writeHead(status, { 'content-type': mime, 'content-length': bytes.byteLength })
  response.end(bytes)
}

/** Writes Server-Sent Events, one `data:` line each, with `gapMs` between them. */
export async function sendSse(
  response: ServerResponse,
  events: Array<{ event?: string; data: unknown }>,
  gapMs = 0,
): Promise<void> {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  })
  for (const event of events) {
    if (response.destroyed) return
    const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data)
    response.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${data}\n\n`)
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs))
  }
  response.end()
}

/**
 * Scripted failures for a fake provider: `next()` hands out the queued faults in order
 * (each `times` times), then undefined, meaning "answer normally".
 */
export interface Fault {
  status: number
  body?: unknown
  headers?: Record<string, string>
  times?: number
  /** Hold the response this long (or forever with Infinity) instead of answering at once. */
  delayMs?: number
}

export class FaultQueue {
  private readonly queue: Array<Fault & { left: number }> = []

  push(...faults: Fault[]): void {
    for (const fault of faults) this.queue.push({ ...fault, left: fault.times ?? 1 })
  }

  next(): Fault | undefined {
    const fault = this.queue[0]
    if (!fault) return undefined
    fault.left -= 1
    if (fault.left <= 0) this.queue.shift()
    return fault
  }

  clear(): void {
    this.queue.length = 0
  }
}

/** Answers with the fault (after its delay); returns false when there was none to answer with. */
export async function answerFault(response: ServerResponse, fault: Fault | undefined): Promise<boolean> {
  if (!fault) return false
  if (fault.delayMs !== undefined) {
    if (fault.delayMs === Number.POSITIVE_INFINITY) return true // hang until the client gives up
    await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
  }
  sendJson(response, fault.status, fault.body ?? { error: { message: `fault ${fault.status}` } }, fault.headers)
  return true
}
