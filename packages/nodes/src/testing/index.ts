export type { LogCall, ProgressCall, TestContext, TestContextOptions } from './test-context.ts'
export { createTestContext, runNode } from './test-context.ts'
export type { ImageFormat } from './test-images.ts'
export { decodePixels, isColour, splitImage } from './test-images.ts'
