export type {
  Accounts,
  ActiveApiKey,
  ApiKeyRecord,
  CredentialRecord,
  InvitationRecord,
  MemberRecord,
  OrgRecord,
  Role,
  UserRecord,
} from './accounts/accounts.ts'
export { DuplicateCredentialError, roles } from './accounts/accounts.ts'
export { accountsFor } from './accounts/sql-accounts.ts'
export { MemoryStore } from './memory/memory-store.ts'
export type { OpenStoreOptions } from './open-store.ts'
export { isPostgresUrl, openStore } from './open-store.ts'
export { maxPageSize } from './page.ts'
export { authSchema } from './schema.ts'
export type { SqlDatabase } from './sql/database.ts'
export { sqlDatabaseOf } from './sql/sql-store.ts'
export type {
  AssetRecord,
  CacheEntry,
  EventDraft,
  ListAssetsQuery,
  ListRunsQuery,
  ListWorkflowsQuery,
  LockedRun,
  NodeExecutionRecord,
  Page,
  PageQuery,
  RunRecord,
  Store,
  TransitionBatch,
  UpdateWorkflowResult,
  WorkflowRecord,
  WorkflowVersionRecord,
} from './store.ts'
export { DEFAULT_ORG_ID, pendingNodeExecution } from './store.ts'
export { isDatabaseUnavailable } from './unavailable.ts'
export type { UsageByModel, UsageByWorkflow, UsageDay, UsageQuery, UsageSummary } from './usage.ts'
