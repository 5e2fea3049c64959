export { Probe, probeNodes } from './probe-nodes.ts'
export { redisPrefixForTest, redisSuiteEnabled, redisUrlForTests } from './redis-for-tests.ts'
export type { TestEngine, TestEngineOptions } from './test-engine.ts'
export { createTestEngine } from './test-engine.ts'
