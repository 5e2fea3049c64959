import type { PortMap } from '../data-types.ts'
import { buildAdjacency, withAncestors } from '../graph.ts'
import type { NodeRegistry } from '../registry.ts'
import type { Workflow, WorkflowEdge, WorkflowNode } from '../workflow/schema.ts'

export interface GraphNode {
  node: WorkflowNode
  inputs: PortMap
  incoming: WorkflowEdge[]
  outgoing: WorkflowEdge[]
}

/**
 * The part of a validated workflow that one run executes: every node, or for a partial run
 * the chosen nodes and everything they depend on.
 */
export class RunGraph {
  readonly nodes: ReadonlyMap<string, GraphNode>

  private constructor(nodes: Map<string, GraphNode>) {
    this.nodes = nodes
  }

  /** @param only run just these nodes (plus their upstream); all nodes when absent. */
  static from(workflow: Workflow, registry: NodeRegistry, only?: readonly string[]): RunGraph {
    const all = buildAdjacency(
      workflow.nodes.map((node) => node.id),
      workflow.edges,
    )
    const included = only ? withAncestors(only, all) : undefined
    const nodes = new Map<string, GraphNode>()
    for (const node of workflow.nodes) {
      if (included && !included.has(node.id)) continue
      const definition = registry.get(node.type)
      if (!definition) throw new Error(`unknown node type ${node.type}; validate the workflow first`)
      nodes.set(node.id, {
        node,
        inputs: definition.inputs,
        incoming: all.incoming.get(node.id) ?? [],
        outgoing: (all.outgoing.get(node.id) ?? []).filter((edge) => !included || included.has(edge.target)),
      })
    }
    return new RunGraph(nodes)
  }

  get(nodeId: string): GraphNode {
    const node = this.nodes.get(nodeId)
    if (!node) throw new Error(`node ${nodeId} is not part of this run`)
    return node
  }

  /** Distinct direct successors of the given nodes. */
  successors(nodeIds: Iterable<string>): Set<string> {
    const result = new Set<string>()
    for (const id of nodeIds) for (const edge of this.get(id).outgoing) result.add(edge.target)
    return result
  }
}
