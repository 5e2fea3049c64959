import type { RunEvent } from '@patchbay/core'
import { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'

/** Committed events of one organisation's run, as they travel between processes. */
export interface RelayedEvents {
  orgId: string
  events: RunEvent[]
}

/**
 * Carries committed run events between the processes of a scaled deployment over Redis
 * pub/sub: workers publish what they commit, and every process (each API instance's SSE
 * streams, workers aborting canceled attempts) hears it. Pub/sub is fire-and-forget, so
 * listeners treat it as a fast path: the events are in the Store, and SSE fills any gap
 * from there.
 */
export class EventRelay {
  private readonly publisher: Redis
  private readonly subscriber: Redis
  private readonly channel: string
  private readonly listeners = new Set<(message: RelayedEvents) => void>()
  private subscribed: Promise<unknown> | undefined

  constructor(options: { redisUrl: string; prefix?: string; logger: Logger }) {
    this.channel = `${options.prefix ?? 'patchbay'}:run-events`
    this.publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: null })
    this.subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null })
    for (const client of [this.publisher, this.subscriber]) {
      client.on('error', (error: Error) =>
        options.logger.debug('event relay connection error', { error: error.message }),
      )
    }
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return
      let message: RelayedEvents
      try {
        message = JSON.parse(text) as RelayedEvents
      } catch {
        return
      }
      for (const listener of this.listeners) listener(message)
    })
  }

  /** Starts listening; resolves once Redis confirmed the subscription. */
  start(): Promise<unknown> {
    this.subscribed ??= this.subscriber.subscribe(this.channel)
    return this.subscribed
  }

  listen(listener: (message: RelayedEvents) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Publishes events already committed. Never throws: SSE falls back to the Store. */
  async publish(orgId: string, events: readonly RunEvent[]): Promise<void> {
    if (events.length === 0) return
    try {
      await this.publisher.publish(this.channel, JSON.stringify({ orgId, events }))
    } catch {
      // Redis unreachable: listeners catch up from the Store.
    }
  }

  async close(): Promise<void> {
    this.listeners.clear()
    this.subscriber.disconnect()
    this.publisher.disconnect()
  }
}
