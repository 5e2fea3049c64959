import { afterEach, beforeEach, expect, it } from 'vitest'
import type { NodeTask, TaskQueue } from './task-queue.ts'

export interface TestQueue {
  queue: TaskQueue
  /** Stops the queue and removes what it left behind. */
  close(): Promise<void>
}

/**
 * The tests every {@link TaskQueue} sibling passes. `open` gives each test a fresh queue that
 * executes tasks, with a limit of 2 on the resource key `gpu` and at least 4 tasks at once.
 */
export function taskQueueContract(open: () => Promise<TestQueue>): void {
  let handle: TestQueue
  let queue: TaskQueue

  beforeEach(async () => {
    handle = await open()
    queue = handle.queue
  }, 30_000)
  afterEach(async () => {
    await handle.close()
  }, 30_000)

  const task = (nodeId: string, extra: Partial<NodeTask> = {}): NodeTask => ({
    runId: 'run-1',
    nodeId,
    attempt: 1,
    ...extra,
  })

  it('delivers every task to the handler', async () => {
    const seen: string[] = []
    queue.process(async (delivered) => {
      seen.push(delivered.nodeId)
    })
    for (const id of ['a', 'b', 'c', 'd', 'e']) await queue.enqueue(task(id))
    await until(() => seen.length === 5)
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('holds a delayed task back for its delay', async () => {
    const delivered = new Map<string, number>()
    queue.process(async (item) => {
      delivered.set(item.nodeId, Date.now())
    })
    const sent = Date.now()
    await queue.enqueue(task('late'), { delayMs: 400 })
    await queue.enqueue(task('now'))
    await until(() => delivered.size === 2)
    expect((delivered.get('late') ?? 0) - sent).toBeGreaterThanOrEqual(350)
    expect(delivered.get('now') ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(delivered.get('late') ?? 0)
  })

  it('runs tasks at once, but no more than a resource allows', async () => {
    let running = 0
    let peak = 0
    let peakGpu = 0
    let gpu = 0
    let done = 0
    queue.process(async (item) => {
      running++
      peak = Math.max(peak, running)
      if (item.resourceKey === 'gpu') peakGpu = Math.max(peakGpu, ++gpu)
      await new Promise((resolve) => setTimeout(resolve, 80))
      if (item.resourceKey === 'gpu') gpu--
      running--
      done++
    })
    for (let index = 0; index < 4; index++) await queue.enqueue(task(`free${index}`))
    for (let index = 0; index < 6; index++) await queue.enqueue(task(`gpu${index}`, { resourceKey: 'gpu' }))
    await until(() => done === 10)
    expect(peak).toBeGreaterThanOrEqual(3)
    expect(peakGpu).toBe(2)
  })

  it('on close, lets the running task finish and takes no more', async () => {
    let finished = 0
    let started = 0
    queue.process(async () => {
      started++
      await new Promise((resolve) => setTimeout(resolve, 150))
      finished++
    })
    await queue.enqueue(task('running'))
    await until(() => started === 1)
    await queue.close()
    expect(finished).toBe(1)
  })
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the queue')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
