import type {
  AnnotationColor,
  NodeCatalogEntry,
  NodeStatus,
  RunEvent,
  RunStatus,
  ValidationIssue,
  Workflow,
  WorkflowGroup,
  WorkflowNote,
} from '@patchbay/core'

// The JSON the API answers, as documented in /api/v1/openapi.json (a server test checks that
// every path this SDK calls is in that document).

export type Role = 'viewer' | 'editor' | 'admin' | 'owner'

export interface Page<T> {
  items: T[]
  total: number
  limit: number
  offset: number
}

export interface WorkflowSummary {
  id: string
  name: string
  revision: number
  createdAt: string
  updatedAt: string
}

export interface SavedWorkflow extends WorkflowSummary {
  document: Workflow
  /** What would stop it from running, if anything. */
  issues: ValidationIssue[]
}

export interface VersionSummary {
  id: string
  workflowId: string | null
  hash: string
  name: string
  createdAt: string
}

export interface RunErrorInfo {
  code: string
  message: string
  retryable?: boolean
  details?: unknown
}

export interface Run {
  id: string
  workflowId: string | null
  versionId: string
  status: RunStatus
  inputs: Record<string, unknown>
  scope: string[] | null
  outputs: Record<string, unknown> | null
  error: RunErrorInfo | null
  cost: number | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export interface NodeExecution {
  nodeId: string
  nodeType: string
  status: NodeStatus
  attempt: number
  params: Record<string, unknown> | null
  inputs: Record<string, unknown> | null
  outputs: Record<string, unknown> | null
  error: RunErrorInfo | null
  skipReason: 'branch_inactive' | 'upstream_failed' | null
  queuedAt: string | null
  startedAt: string | null
  finishedAt: string | null
  cost: number | null
}

export interface RunDetail extends Run {
  nodes: NodeExecution[]
}

export interface StartRunRequest {
  workflowId?: string
  versionId?: string
  inputs?: Record<string, unknown>
  scope?: 'all' | { nodes: string[] }
}

export interface Asset {
  id: string
  kind: 'image' | 'video' | 'audio' | 'file'
  mime: string
  bytes: number
  sha256: string
  width?: number
  height?: number
  durationMs?: number
  name: string | null
  createdAt: string
  /** Signed link to the bytes (works in `<img src>`), valid until `urlExpiresAt`. */
  url: string
  thumbnailUrl?: string
  urlExpiresAt: string
}

/** What `POST /assets/uploads` wants: the file's name, type and exact size. */
export interface AssetUploadRequest {
  name: string
  contentType: string
  bytes: number
}

/**
 * A direct upload to storage (S3): PUT the file to `url` with exactly `headers`, then
 * complete it with `uploadId`. Servers that keep assets on local disk refuse to make one
 * (409 `PRESIGNED_UPLOADS_UNAVAILABLE`); use `assets.upload` there.
 */
export interface AssetUpload {
  uploadId: string
  url: string
  method: 'PUT'
  headers: Record<string, string>
  /** The PUT must start before this. */
  expiresAt: string
}

export interface ModelProvider {
  id: string
  title: string
  local: boolean
  credential: string | null
  configured: boolean
}

export interface ModelCatalog {
  providers: ModelProvider[]
  models: ({ id: string; capabilities: string[] } & Record<string, unknown>)[]
}

export interface Organisation {
  id: string
  name: string
  role: Role
  createdAt: string
}

export interface Me {
  via: 'session' | 'apiKey' | 'local'
  user: { id: string; name: string; email: string } | null
  organisations: Organisation[]
}

export interface Member {
  userId: string
  name: string
  email: string
  role: Role
  joinedAt: string
}

export interface Invitation {
  id: string
  email: string
  role: Role
  status: 'pending' | 'accepted' | 'revoked' | 'expired'
  createdAt: string
  expiresAt: string
}

export interface Credential {
  id: string
  name: string
  description: string | null
  usedBy: string[]
  createdAt: string
  updatedAt: string
}

export interface ApiKey {
  id: string
  name: string
  prefix: string
  role: Role
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
}

/** What the organisation ran and spent from `from` to `to` (UTC days, both included); money in US dollars. */
export interface UsageSummary {
  from: string
  to: string
  /** Spent by the period's runs (the runs' own `cost`, set when they finish). */
  cost: number
  runs: { total: number; succeeded: number; failed: number; canceled: number; active: number }
  /** Nodes of those runs that started (cached and skipped ones do not count). */
  nodeExecutions: number
  /** Every day of the period, oldest first, days without runs included. */
  days: { date: string; runs: number; cost: number }[]
  /** Most spent first; `workflowId` null gathers runs of deleted or unsaved workflows. */
  workflows: { workflowId: string | null; name: string | null; runs: number; cost: number }[]
  /** Most spent first; from node executions whose params name a model (`calls` counts retries). */
  models: { model: string; provider: string; calls: number; cost: number }[]
}

/** The workflow document, including its canvas annotations (`notes`, `groups`), which runs ignore. */
export type { AnnotationColor, NodeCatalogEntry, RunEvent, ValidationIssue, Workflow, WorkflowGroup, WorkflowNote }
