export type { AssetInput, ByteSource, NodeAssets } from './assets.ts'
export { kindFromMime } from './assets.ts'
export { computeCacheKey } from './cache-key.ts'
export type { Sha256 } from './canonical.ts'
export { canonicalJson, hashValue, sha256Hex } from './canonical.ts'
export type { AssetRef, DataType, MediaKind, PortMap, PortSpec } from './data-types.ts'
export { assetRefSchema, dataTypes, describePort, isAssetRef, isCompatible, mediaKinds } from './data-types.ts'
export type { ErrorInfo, ValidationIssue } from './errors.ts'
export {
  CanceledError,
  NodeError,
  NotFoundError,
  PatchbayError,
  TimeoutError,
  toErrorInfo,
  UnavailableError,
  ValidationError,
} from './errors.ts'
export type { RunEvent, RunEventBody, RunEventType } from './events.ts'
export { runEventTypes } from './events.ts'
export type { Adjacency } from './graph.ts'
export { buildAdjacency, findCycles, withAncestors } from './graph.ts'
export { MAX_JSON_DEPTH, pathDeeperThan } from './json-depth.ts'
export type {
  ChatRequest,
  ChatResult,
  ImageEditRequest,
  ImageRequest,
  ImageResult,
  ModelCapability,
  ModelGateway,
  ModelUse,
  SpeechRequest,
  SpeechResult,
  TranscriptionRequest,
  TranscriptionResult,
  VideoRequest,
  VideoResult,
} from './models.ts'
export { modelCapabilities, parseModelId, providerResourceKey, unavailableModelGateway } from './models.ts'
export type {
  AnyNodeDefinition,
  InputValues,
  NodeContext,
  NodeDefinition,
  NodeLogger,
  OutputValues,
  PortValue,
} from './node-sdk.ts'
export { defineNode } from './node-sdk.ts'
export type { NodeCatalogEntry, NodeRegistry } from './registry.ts'
export { createRegistry, nodeCatalog } from './registry.ts'
export type { RetryPolicy } from './retry.ts'
export { defaultRetryPolicy, isRetryable, nextAttempt, retryDelayMs } from './retry.ts'
export type { Decision } from './scheduler/decide.ts'
export { decide, runOutcome } from './scheduler/decide.ts'
export type { GraphNode } from './scheduler/run-graph.ts'
export { RunGraph } from './scheduler/run-graph.ts'
export type { NodeRunState, NodeStatus, RunStatus, SkipReason } from './scheduler/states.ts'
export { isTerminalNode, isTerminalRun, nodeStatuses, runStatuses } from './scheduler/states.ts'
export { findInputRefs, substituteInputs } from './template.ts'
export { parseInputText, resolveRunInputs } from './validate/run-inputs.ts'
export type { ValidationResult } from './validate/validate-workflow.ts'
export { validateWorkflow } from './validate/validate-workflow.ts'
export { migrateDocument } from './workflow/migrations.ts'
export type {
  AnnotationColor,
  Workflow,
  WorkflowEdge,
  WorkflowGroup,
  WorkflowInput,
  WorkflowInputType,
  WorkflowNode,
  WorkflowNote,
} from './workflow/schema.ts'
export {
  annotationColors,
  annotationSizeLimits,
  CURRENT_SCHEMA_VERSION,
  workflowGroupSchema,
  workflowInputTypes,
  workflowNoteSchema,
  workflowSchema,
} from './workflow/schema.ts'
