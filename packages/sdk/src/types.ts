import type { NodeCatalogEntry, NodeStatus, RunEvent, RunStatus, ValidationIssue, Workflow } from '@patchbay/core'

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

export type { NodeCatalogEntry, RunEvent, ValidationIssue, Workflow }
