import { buildAdjacency, type Workflow, withAncestors } from '@patchbay/core'
import { type NodeExecutionRecord, pendingNodeExecution, type RunRecord, type Store } from '@patchbay/db'
import { notFound } from '../api/errors.ts'
import { type RunDetailJson, runDetailJson } from './run-json.ts'

/** The run, or the API's 404 when it does not exist in the organisation. */
export async function loadRun(store: Store, orgId: string, runId: string): Promise<RunRecord> {
  const run = await store.getRun(orgId, runId)
  if (!run) throw notFound('run', runId)
  return run
}

/** The run with every one of its nodes, those without a row yet shown `pending`. */
export async function loadRunDetail(store: Store, orgId: string, runId: string): Promise<RunDetailJson> {
  const run = await loadRun(store, orgId, runId)
  const [rows, version] = await Promise.all([store.listNodeExecutions(run.id), store.getVersion(orgId, run.versionId)])
  return runDetailJson(run, nodesOfRun(run, version?.document, rows))
}

/**
 * Node rows are written when a node first changes state, so a missing row means `pending`.
 * Returns one record per node the run includes (the scoped nodes and their upstream), in
 * document order; rows of nodes the document does not list (it cannot change, but a row is
 * the truth) come last.
 */
export function nodesOfRun(
  run: Pick<RunRecord, 'id' | 'scope'>,
  document: Pick<Workflow, 'nodes' | 'edges'> | undefined,
  rows: readonly NodeExecutionRecord[],
): NodeExecutionRecord[] {
  const byId = new Map(rows.map((row) => [row.nodeId, row]))
  const nodes: NodeExecutionRecord[] = []
  if (document) {
    const included = run.scope
      ? withAncestors(
          run.scope,
          buildAdjacency(
            document.nodes.map((node) => node.id),
            document.edges,
          ),
        )
      : undefined
    for (const node of document.nodes) {
      if (included && !included.has(node.id)) continue
      nodes.push(byId.get(node.id) ?? pendingNodeExecution(run.id, node.id, node.type))
      byId.delete(node.id)
    }
  }
  nodes.push(...byId.values())
  return nodes
}
