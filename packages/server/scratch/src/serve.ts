import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from './app.ts'
import type { Services } from './services.ts'

export interface RunningServer {
  url: string
  close(): Promise<void>
}

/** Serves the app on `host:port` (port 0 picks a free one). */
export async function startServer(services: Services, listen: { port: number; host: string }): Promise<RunningServer> {
  const app = createApp(services)
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: listen.port, hostname: listen.host }, (address: AddressInfo) => {
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            // Live event streams never end on their own; close them with the server.
            if ('closeAllConnections' in server) server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
    server.once('error', reject)
  })
}
