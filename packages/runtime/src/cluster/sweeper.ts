import { isTerminalNode, isTerminalRun } from '@patchbay/core'
import { BatchBuilder } from '../batch-builder.ts'
import type { Logger } from '../logger.ts'
import type { BullmqQueue } from '../queue/bullmq-queue.ts'
import type { Dispatch, RunSteps } from '../run-steps.ts'
import type { ClusterEngine } from './cluster-engine.ts'

/** Stalled rows examined per pass; the next pass takes the rest. */
const BATCH = 2000

/**
 * Finds and repairs work a crash left behind, so no run stays `running` forever:
 * - a node `queued` whose task is not in Redis (its sender died between committing and
 *   sending, or Redis lost its data) is sent again;
 * - a node `running` whose task is gone (its worker died and the task was dropped, or Redis
 *   lost it) becomes a new attempt;
 * - a running run with nothing queued or running is advanced again (finished, if it is done).
 * A dead worker's *live* tasks need no sweeper: BullMQ hands them to another worker once the
 * lease lapses. One process sweeps the fleet per interval (a Redis lease), and every repair
 * re-checks under the run's lock, so concurrent sweeps and finishing workers never collide.
 */
export class Sweeper {
  private readonly deps: {
    engine: ClusterEngine
    driver: RunSteps
    queue: BullmqQueue
    logger: Logger
    intervalMs: number
    staleAfterMs: number
  }
  private timer: NodeJS.Timeout | undefined
  private sweeping: Promise<string[]> | undefined

  constructor(deps: Sweeper['deps']) {
    this.deps = deps
  }

  start(): void {
    const next = () => {
      // Jittered, so that the sweepers of many processes spread out.
      const delay = this.deps.intervalMs * (0.75 + Math.random() * 0.5)
      this.timer = setTimeout(async () => {
        try {
          if (await this.deps.queue.tryLease('sweeper', Math.floor(this.deps.intervalMs * 0.7))) await this.sweep()
        } catch (error) {
          this.deps.logger.warn('sweep failed; trying again later', { error: String(error) })
        }
        if (this.timer) next()
      }, delay)
      this.timer.unref()
    }
    next()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** One pass; returns the ids of the runs it repaired. */
  sweep(): Promise<string[]> {
    this.sweeping ??= this.pass().finally(() => {
      this.sweeping = undefined
    })
    return this.sweeping
  }

  private async pass(): Promise<string[]> {
    const { engine, driver, queue } = this.deps
    const before = new Date(Date.now() - this.deps.staleAfterMs)
    const stalled = await engine.store.listStalledWork(before, BATCH)
    const exists = await queue.jobsExist(stalled.nodes.map((node) => driver.taskOf(node)))
    const suspects = new Set(stalled.idleRunIds)
    stalled.nodes.forEach((node, index) => {
      if (!exists[index]) suspects.add(node.runId)
    })
    const repaired: string[] = []
    for (const runId of suspects) {
      if (engine.isClosing) break
      if (await this.repair(runId)) repaired.push(runId)
    }
    if (repaired.length > 0) this.deps.logger.info('repaired interrupted runs', { runs: repaired })
    return repaired
  }

  private async repair(runId: string): Promise<boolean> {
    const { engine, driver, queue } = this.deps
    const result = await engine.withRun(runId, async (locked, active) => {
      if (isTerminalRun(locked.run.status)) return undefined
      if (!active) return { orgId: locked.run.orgId, events: await engine.failUnrecoverable(locked), dispatches: [] }
      const inFlight = [...active.nodes.values()].filter(
        (record) => record.status === 'queued' || record.status === 'running',
      )
      const exists = await queue.jobsExist(inFlight.map((record) => driver.taskOf(record)))
      const batch = new BatchBuilder()
      const dispatches: Dispatch[] = []
      let lost = 0
      inFlight.forEach((record, index) => {
        if (exists[index]) return
        lost++
        const dispatch = driver.recoverAttempt(active, record, batch)
        if (dispatch) dispatches.push(dispatch)
      })
      const idle = inFlight.length === 0
      if (lost === 0 && !idle) return undefined
      await driver.plan(active, active.nodes.keys(), batch, dispatches, locked)
      if (lost === 0 && dispatches.length === 0 && !isTerminalRun(active.run.status)) {
        const allDone = [...active.nodes.values()].every((record) => isTerminalNode(record.status))
        if (!allDone) return undefined
      }
      return { orgId: locked.run.orgId, events: await locked.commit(batch.build()), dispatches }
    })
    if (!result) return false
    await engine.published(result.orgId, result.events, result.dispatches)
    return true
  }
}
