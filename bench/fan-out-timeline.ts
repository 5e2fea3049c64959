/**
 * Where the time of a 500-wide fan-out goes: when the waits were queued, started and
 * finished, relative to run.started, and when the last event reached this process.
 *   node --import tsx bench/fan-out-timeline.ts [postgres://…]
 */
import type { RunEvent } from '@patchbay/core'
import { openTarget } from './open-target.ts'
import { fanOut } from './workflows.ts'

const target = await openTarget(process.argv[2])
const span = (times: number[]) => `${Math.min(...times)}–${Math.max(...times)}`

for (let round = 1; round <= 3; round++) {
  const events: RunEvent[] = []
  let deliveredAt = 0
  const begin = performance.now()
  const run = await target.engine.startRun({
    workflow: fanOut(500, 200, `timeline-${round}-${Math.random()}`),
    onEvent: (event) => {
      events.push(event)
      deliveredAt = performance.now()
    },
  })
  const accepted = performance.now()
  await target.engine.waitForRun(run.orgId, run.id)
  const origin = Date.parse(events[0]?.time ?? '')
  /** Times (ms after run.started) of events of `type` for the wait nodes, or for `nodeId`. */
  const at = (type: RunEvent['type'], nodeId?: string) =>
    events
      .filter(
        (e) =>
          e.type === type &&
          (nodeId ? 'nodeId' in e && e.nodeId === nodeId : 'nodeId' in e && e.nodeId.startsWith('w')),
      )
      .map((e) => Date.parse(e.time) - origin)
  const finished = events.find((e) => e.type === 'run.finished')
  console.log(
    [
      `round ${round}: startRun returned after ${(accepted - begin).toFixed(0)} ms;`,
      `after run.started — waits queued ${span(at('node.queued'))}, started ${span(at('node.started'))},`,
      `succeeded ${span(at('node.succeeded'))}; join started ${at('node.started', 'join')};`,
      `run.finished ${finished ? Date.parse(finished.time) - origin : '?'};`,
      `last event delivered ${(deliveredAt - begin).toFixed(0)} ms after the call`,
    ].join(' '),
  )
}
await target.close()
