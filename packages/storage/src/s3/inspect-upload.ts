import { PatchbayError } from '@patchbay/core'
import { concat } from '../bytes.ts'

export function tooLarge(maxBytes: number): PatchbayError {
  return new PatchbayError('UPLOAD_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, { details: { maxBytes } })
}

/**
 * Passes an upload's bytes on, refusing it (through `refuse`, which marks the error as a
 * refusal) once it grows past `maxBytes` or when `inspect` throws on its first `inspectBytes`
 * bytes. A short upload is inspected at its end, before the consumer sees the stream finish,
 * so nothing refused is ever named as a blob.
 */
export async function* inspectedUpload(
  body: AsyncIterable<Uint8Array>,
  options: {
    maxBytes?: number
    inspectBytes: number
    inspect?: ((head: Uint8Array) => Promise<void> | void) | undefined
  },
  refuse: (error: unknown) => unknown,
): AsyncGenerator<Uint8Array> {
  const { maxBytes, inspect, inspectBytes } = options
  const head: Uint8Array[] = []
  let headSize = 0
  let total = 0
  let inspected = inspect === undefined
  const look = async () => {
    inspected = true
    try {
      await inspect?.(concat(head, headSize))
    } catch (error) {
      throw refuse(error)
    }
  }
  for await (const chunk of body) {
    total += chunk.byteLength
    if (maxBytes !== undefined && total > maxBytes) throw refuse(tooLarge(maxBytes))
    if (!inspected) {
      head.push(chunk)
      headSize += chunk.byteLength
      if (headSize >= inspectBytes) await look()
    }
    yield chunk
  }
  if (!inspected) await look()
}
