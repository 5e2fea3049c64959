import type { RunEvent } from '@patchbay/core'
import type { Caller, TestServer } from '../testing/test-server.ts'
import { readSse } from './sse-reader.ts'

// Shared by the run and event route tests.

/**
 * `start` (input.text of the `tag` input) → `util.wait` steps of `waits` ms each → a template
 * adding "!" → the `result` output. A fresh `tag` per run keeps the cache from answering.
 */
export function waitsWorkflow(name: string, waits: number[]): Record<string, unknown> {
  const nodes: Record<string, unknown>[] = [{ id: 'start', type: 'input.text', params: { value: '{{inputs.tag}}' } }]
  const edges: Record<string, unknown>[] = []
  let previous = { id: 'start', port: 'text' }
  waits.forEach((ms, index) => {
    const id = index === 0 ? 'wait' : `wait${index + 1}`
    nodes.push({ id, type: 'util.wait', params: { ms } })
    edges.push({ id: `e-${id}`, source: previous.id, sourceHandle: previous.port, target: id, targetHandle: 'value' })
    previous = { id, port: 'value' }
  })
  nodes.push({ id: 'shout', type: 'text.template', params: { template: '{{text}}!' } })
  nodes.push({ id: 'out', type: 'output', params: { name: 'result' } })
  edges.push({ id: 'e-shout', source: previous.id, sourceHandle: previous.port, target: 'shout', targetHandle: 'text' })
  edges.push({ id: 'e-out', source: 'shout', sourceHandle: 'text', target: 'out', targetHandle: 'value' })
  return { schemaVersion: 1, name, inputs: { tag: { type: 'text', default: 'go' } }, nodes, edges }
}

let tags = 0
/** A tag no other run in this process has used. */
export const freshTag = () => `tag-${process.pid}-${++tags}`

export interface EventStream {
  response: Response
  /** Reads messages until `stop` says so (with what was read) or the stream ends; returns them. */
  read(stop?: (events: RunEvent[]) => boolean): Promise<{ events: RunEvent[]; ended: boolean }>
  /** Goes away (disconnects). */
  close(): void
}

/**
 * Opens an event stream, returning once the server has subscribed, and checks each message's
 * framing (`id` = seq, `event` = type).
 */
export async function openEvents(
  server: TestServer,
  path: string,
  as: Caller,
  headers: Record<string, string> = {},
): Promise<EventStream> {
  const controller = new AbortController()
  const response = await server.fetch(path, { as, headers, signal: controller.signal })
  if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}: ${await response.text()}`)
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    throw new Error(`GET ${path} answered ${response.headers.get('content-type')}`)
  }
  const items = readSse(response.body as ReadableStream<Uint8Array>)
  // The server comments once it has subscribed: from here on nothing live can be missed.
  const first = await items.next()
  if (first.done || !('comment' in first.value)) throw new Error(`GET ${path} did not open with a comment`)
  return {
    response,
    async read(stop) {
      const events: RunEvent[] = []
      if (stop?.(events)) return { events, ended: false }
      for (;;) {
        const { done, value } = await items.next()
        if (done) return { events, ended: true }
        if ('comment' in value) continue
        const event = JSON.parse(value.data) as RunEvent
        if (value.id !== String(event.seq) || value.event !== event.type) {
          throw new Error(`badly framed message: ${JSON.stringify(value)}`)
        }
        events.push(event)
        if (stop?.(events)) return { events, ended: false }
      }
    },
    close: () => {
      void items.return()
      controller.abort()
    },
  }
}
