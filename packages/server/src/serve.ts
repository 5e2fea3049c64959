import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Runtime } from '@patchbay/runtime'
import { createApp } from './app.ts'

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Serves the app on `host:port` (port 0 picks a free one). */
export async function startServer(
  runtime: Runtime,
  options: { port: number; host: string; version: string },
): Promise<RunningServer> {
  const app = createApp(runtime, { version: options.version })
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (address: AddressInfo) => {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
      resolve({
        url: `http://${host}:${address.port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      })
    })
    server.once('error', reject)
  })
}
