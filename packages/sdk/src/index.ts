export type { ClientOptions, PatchbayClient } from './client.ts'
export { createClient } from './client.ts'
export { ApiError } from './errors.ts'
export type { SseMessage } from './sse.ts'
export { eventOf, readSse } from './sse.ts'
export type {
  AnnotationColor,
  ApiKey,
  Asset,
  AssetUpload,
  AssetUploadRequest,
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
  UsageSummary,
  ValidationIssue,
  VersionSummary,
  Workflow,
  WorkflowGroup,
  WorkflowNote,
  WorkflowSummary,
} from './types.ts'
