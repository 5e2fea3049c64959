import sharp from 'sharp'
import type { Caller, TestServer } from './test-server.ts'

/** The smallest runnable workflow: an input through a template into an output. */
export function helloWorkflow(name = 'Hello'): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name,
    inputs: { name: { type: 'text', default: 'World' } },
    nodes: [
      { id: 'greeting', type: 'text.template', params: { template: 'Hello, {{inputs.name}}!' } },
      { id: 'message', type: 'output', params: { name: 'message' } },
    ],
    edges: [{ id: 'e1', source: 'greeting', sourceHandle: 'text', target: 'message', targetHandle: 'value' }],
  }
}

/** Sends a request and returns the parsed JSON body, failing loudly on an unexpected status. */
export async function call<T = Record<string, unknown>>(
  server: TestServer,
  as: Caller,
  method: string,
  path: string,
  json?: unknown,
  expected = [200, 201],
): Promise<T> {
  const response = await server.fetch(path, { method, as, ...(json === undefined ? {} : { json }) })
  const text = await response.text()
  if (!expected.includes(response.status)) throw new Error(`${method} ${path} → ${response.status}: ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

/** A small PNG. */
export function pngBytes(width = 8, height = 6): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer()
}

/** A multipart body with one `file` field. */
export function uploadForm(bytes: Uint8Array, name: string, type = 'application/octet-stream'): FormData {
  const form = new FormData()
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), name)
  return form
}
