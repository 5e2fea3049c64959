import { describe, expect, it } from 'vitest'
import { readSse } from './sse.ts'

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
}

async function collect(chunks: string[]) {
  const messages = []
  for await (const message of readSse(streamOf(chunks))) messages.push(message)
  return messages
}

describe('readSse', () => {
  it('reads messages split anywhere across chunks, skipping comments and heartbeats', async () => {
    const text =
      ': connected\n\nid: 1\nevent: run.started\ndata: {"seq":1}\n\n: heartbeat\n\nid: 2\r\nevent: run.finished\r\ndata: {"seq":2}\r\n\r\n'
    for (const size of [1, 3, 7, text.length]) {
      const chunks: string[] = []
      for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size))
      expect(await collect(chunks)).toEqual([
        { id: '1', event: 'run.started', data: '{"seq":1}' },
        { id: '2', event: 'run.finished', data: '{"seq":2}' },
      ])
    }
  })

  it('joins multi-line data and keeps a message without an id', async () => {
    expect(await collect(['data: first\ndata: second\n\n'])).toEqual([
      { id: undefined, event: undefined, data: 'first\nsecond' },
    ])
  })

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: café ✓\n\n')
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]))
        controller.close()
      },
    })
    const messages = []
    for await (const message of readSse(stream)) messages.push(message)
    expect(messages).toEqual([{ id: undefined, event: undefined, data: 'café ✓' }])
  })
})
