export { MemoryStore } from './memory/memory-store.ts'
export type { OpenStoreOptions } from './open-store.ts'
export { isPostgresUrl, openStore } from './open-store.ts'
export type {
  AssetRecord,
  CacheEntry,
  EventDraft,
  NodeExecutionRecord,
  RunRecord,
  Store,
  TransitionBatch,
  WorkflowRecord,
  WorkflowVersionRecord,
} from './store.ts'
export { DEFAULT_ORG_ID, pendingNodeExecution } from './store.ts'
