import type { RunEventBody, Workflow } from '@patchbay/core'
import {
  type AssetRecord,
  type EventDraft,
  type NodeExecutionRecord,
  pendingNodeExecution,
  type RunRecord,
} from './store.ts'

// Records the store contract tests build on, shared by their files.

export const orgA = 'org-a'
export const orgB = 'org-b'

export function doc(name: string): Workflow {
  return {
    schemaVersion: 1,
    name,
    inputs: { prompt: { type: 'text', default: 'a cat' } },
    nodes: [{ id: 'n1', type: 'text.prompt', params: { text: '{{inputs.prompt}}' } }],
    edges: [],
  }
}

export function makeRun(id: string, versionId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    orgId: orgA,
    workflowId: null,
    versionId,
    status: 'queued',
    inputs: {},
    scope: null,
    outputs: null,
    error: null,
    createdAt: new Date('2030-01-01T00:00:00.000Z'),
    startedAt: null,
    finishedAt: null,
    cost: null,
    ...overrides,
  }
}

export function makeNode(
  runId: string,
  nodeId: string,
  overrides: Partial<NodeExecutionRecord> = {},
): NodeExecutionRecord {
  return { ...pendingNodeExecution(runId, nodeId, 'text.prompt'), ...overrides }
}

export function draft(runId: string, body: RunEventBody): EventDraft {
  return { ...body, runId, time: '2030-01-01T00:00:00.000Z' }
}

export function asset(assetId: string, overrides: Partial<AssetRecord> = {}): AssetRecord {
  return {
    assetId,
    orgId: orgA,
    kind: 'image',
    mime: 'image/png',
    bytes: 1234,
    sha256: 'ab'.repeat(32),
    storageKey: `blobs/${'ab'.repeat(32)}`,
    name: 'cat.png',
    createdAt: new Date('2030-01-01T00:00:00.000Z'),
    ...overrides,
  }
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index)
}
