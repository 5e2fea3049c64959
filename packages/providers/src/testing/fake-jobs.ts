import type { ServerResponse } from 'node:http'
import { type RecordedRequest, sendBytes, sendJson } from './loopback-server.ts'

/** Where a fake remote job is: waiting for a worker, running, or done. */
export type JobPhase = 'queued' | 'running' | 'done'
const phases: readonly JobPhase[] = ['queued', 'running', 'done']

/**
 * The clock of a fake remote job: queued for the first fifth of `latencyMs`, running until
 * `latencyMs`, then done. A status read moves the job at most one phase past the last one it
 * reported, so a polling client sees every phase at least once however slowly it polls.
 */
export class FakeJobClock {
  private readonly startedAt = Date.now()
  private readonly latencyMs: number
  private reported = -1

  constructor(latencyMs: number) {
    this.latencyMs = latencyMs
  }

  /** The phase by elapsed time alone (what a result endpoint goes by). */
  get phase(): JobPhase {
    const elapsed = Date.now() - this.startedAt
    if (elapsed >= this.latencyMs) return 'done'
    return elapsed >= this.latencyMs / 5 ? 'running' : 'queued'
  }

  /** The phase to tell a status poll (the first one always hears `queued`). */
  report(): JobPhase {
    this.reported = Math.min(phases.indexOf(this.phase), this.reported + 1)
    return phases[this.reported] ?? 'done'
  }

  /** How much of the running phase has passed, from 0 to 1. */
  get fraction(): number {
    const queuedMs = this.latencyMs / 5
    const elapsed = Date.now() - this.startedAt - queuedMs
    return Math.min(1, Math.max(0, elapsed / (this.latencyMs - queuedMs)))
  }
}

/** Files a fake serves at `GET /files/{name}`, standing in for the provider's CDN. */
export class FakeFileStore {
  private readonly files = new Map<string, { bytes: Uint8Array; mime: string }>()

  /** Stores the bytes and returns their URL on the fake that `request` reached. */
  add(request: RecordedRequest, name: string, bytes: Uint8Array, mime: string): string {
    this.files.set(name, { bytes, mime })
    return `${originOf(request)}/files/${name}`
  }

  /** Answers a `GET /files/{name}`; false when the request is not one. */
  serve(request: RecordedRequest, response: ServerResponse): boolean {
    if (request.method !== 'GET' || !request.path.startsWith('/files/')) return false
    const file = this.files.get(decodeURIComponent(request.path.slice('/files/'.length)))
    if (file) sendBytes(response, 200, file.bytes, file.mime)
    else sendJson(response, 404, { detail: 'File not found' })
    return true
  }
}

/** The fake's own origin as the client addressed it, for URLs in its answers. */
export function originOf(request: RecordedRequest): string {
  return `http://${request.headers.host ?? '127.0.0.1'}`
}
