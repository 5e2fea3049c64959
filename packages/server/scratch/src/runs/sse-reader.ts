/** One Server-Sent Events message, or a comment line (heartbeats). */
export type SseItem = { id?: string; event?: string; data: string } | { comment: string }

/**
 * Parses a `text/event-stream` body as it arrives (Node has no EventSource). For tests and
 * benchmarks; follows the parts of the WHATWG rules this server uses (id, event, data, comments).
 *
 * @example
 * for await (const item of readSse(response.body!)) if ('data' in item) console.log(item.event, item.data)
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseItem, void> {
  const decoder = new TextDecoder()
  let pending = ''
  let message: { id?: string; event?: string; data: string[] } = { data: [] }
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      pending += done ? decoder.decode() : decoder.decode(value, { stream: true })
      const lines = pending.split(/\r\n|\r|\n/)
      // The last piece may be an incomplete line (or a lone \r before its \n).
      pending = done ? '' : (lines.pop() as string)
      for (const line of lines) {
        if (line === '') {
          if (message.data.length > 0 || message.event !== undefined || message.id !== undefined) {
            yield { ...message, data: message.data.join('\n') }
          }
          message = { data: [] }
        } else if (line.startsWith(':')) {
          yield { comment: line.slice(1).trimStart() }
        } else {
          const colon = line.indexOf(':')
          const field = colon === -1 ? line : line.slice(0, colon)
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (field === 'data') message.data.push(value)
          else if (field === 'event') message.event = value
          else if (field === 'id') message.id = value
        }
      }
      if (done) return
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}
