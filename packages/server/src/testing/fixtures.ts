import { DEFAULT_ORG_ID } from '@patchbay/db'
import sharp from 'sharp'
import { type Caller, signUp, type TestServer } from './test-server.ts'

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

/** One model call: a fixed prompt through `openai/gpt-4o-mini` (uncached) into an output. */
export function chatWorkflow(name: string): Record<string, unknown> {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'prompt', type: 'input.text', params: { value: 'Say hello' } },
      { id: 'chat', type: 'llm.chat', params: { model: 'openai/gpt-4o-mini', cache: false } },
      { id: 'reply', type: 'output', params: { name: 'reply' } },
    ],
    edges: [
      { id: 'e1', source: 'prompt', sourceHandle: 'text', target: 'chat', targetHandle: 'prompt' },
      { id: 'e2', source: 'chat', sourceHandle: 'text', target: 'reply', targetHandle: 'value' },
    ],
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

/**
 * Signs up the callers most route tests need, in this order: the owner (the first account, so
 * it owns the default organisation), a viewer of the default organisation, and a stranger who
 * belongs only to an organisation of their own.
 */
export async function signUpOwnerViewerStranger(
  server: TestServer,
): Promise<{ owner: Caller; viewer: Caller; stranger: Caller }> {
  const owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
  const viewerUser = await signUp(server, { email: 'viewer@example.com' })
  await server.services.accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: viewerUser.userId, role: 'viewer' })
  const stranger = { cookie: (await signUp(server, { email: 'stranger@example.com' })).cookie }
  return { owner, viewer: { cookie: viewerUser.cookie }, stranger }
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
