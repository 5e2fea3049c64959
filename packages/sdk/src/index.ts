export type { ClientOptions, PatchbayClient } from './client.ts'
export { createClient } from './client.ts'
export { ApiError } from './errors.ts'
export type { SseMessage } from './sse.ts'
export { eventOf, readSse } from './sse.ts'
export type {
  ApiKey,
  Asset,
  Credential,
  Invitation,
  Me,
  Member,
  ModelCatalog,
  ModelProvider,
  NodeCatalogEntry,
  NodeExecution,
  Organisation,
  Page,
  Role,
  Run,
  RunDetail,
  RunErrorInfo,
  RunEvent,
  SavedWorkflow,
  StartRunRequest,
  ValidationIssue,
  VersionSummary,
  Workflow,
  WorkflowSummary,
} from './types.ts'
