import { describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { redisPrefixForTest, redisSuiteEnabled, redisUrlForTests } from '../testing/redis-for-tests.ts'
import { BullmqQueue, jobIdOf } from './bullmq-queue.ts'
import { InlineQueue } from './inline-queue.ts'
import { taskQueueContract } from './task-queue.contract.ts'

const withRedis = await redisSuiteEnabled('task queue contract (BullMQ)')

describe('TaskQueue contract (inline)', () =>
  taskQueueContract(async () => {
    const queue = new InlineQueue({ concurrency: 8, resourceLimits: { gpu: 2 } })
    return { queue, close: () => queue.close() }
  }))

describe.skipIf(!withRedis)('TaskQueue contract (BullMQ)', () =>
  taskQueueContract(async () => {
    const redis = redisPrefixForTest()
    const queue = new BullmqQueue({
      redisUrl: redisUrlForTests(),
      prefix: redis.prefix,
      concurrency: 8,
      resourceLimits: { gpu: 2 },
      logger: silentLogger,
    })
    await queue.start()
    return {
      queue,
      close: async () => {
        await queue.close()
        await redis.drop()
      },
    }
  }),
)

describe.skipIf(!withRedis)('BullMQ queue', () => {
  it('sends a task once however often it is enqueued, and knows which jobs Redis holds', async () => {
    const redis = redisPrefixForTest()
    const producer = new BullmqQueue({
      redisUrl: redisUrlForTests(),
      prefix: redis.prefix,
      concurrency: 0,
      logger: silentLogger,
    })
    try {
      await producer.start()
      const task = { runId: 'r', nodeId: 'n:1.x', attempt: 2 }
      await producer.enqueue(task)
      await producer.enqueue(task)
      expect(await producer.counts()).toMatchObject({ waiting: 1 })
      expect(await producer.jobsExist([task, { ...task, attempt: 3 }])).toEqual([true, false])
      expect(jobIdOf(task)).not.toContain(':')
      await producer.removeJob(task)
      expect(await producer.jobsExist([task])).toEqual([false])
      expect(await producer.tryLease('sweeper', 1000)).toBe(true)
      expect(await producer.tryLease('sweeper', 1000)).toBe(false)
    } finally {
      await producer.close()
      await redis.drop()
    }
  })
})
