export { createApp } from './app.ts'
export type { RunningServer } from './serve.ts'
export { startServer } from './serve.ts'
