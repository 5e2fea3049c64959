import { isTerminalNode, type RunGraph } from '@patchbay/core'
import type { NodeExecutionRecord, RunRecord } from '@patchbay/db'
import type { BatchBuilder } from './batch-builder.ts'

/**
 * The in-memory state of one run that this process is executing. It is authoritative while
 * the process lives; the Store holds a committed prefix of it from which a crashed run is
 * rebuilt.
 */
export class ActiveRun {
  readonly nodes: Map<string, NodeExecutionRecord>
  /** Abort controllers of attempts running now. */
  readonly controllers = new Map<string, AbortController>()
  /** Nodes ready to run but held back by the per-run concurrency limit. */
  readonly deferred = new Set<string>()
  /** Nodes decided to run whose cache lookup is in progress. */
  readonly deciding = new Set<string>()
  /** Steps waiting on a cache lookup, holding transitions not yet handed to the commit queue. */
  readonly uncommitted = new Set<BatchBuilder>()
  private readonly order: NodeExecutionRecord[]
  /** Index of the first node not known to be finished; finished nodes never unfinish. */
  private unfinishedFrom = 0
  /** Set when this copy of the run was abandoned (to be reloaded from the Store): it must not commit. */
  detached = false
  /**
   * Set for a copy rebuilt from the Store for one step under the run's lock (scaled mode): no
   * in-memory state survives it, so nodes held back by the per-run limit are found again.
   */
  transient = false

  run: RunRecord
  readonly graph: RunGraph

  constructor(run: RunRecord, graph: RunGraph, records: Iterable<NodeExecutionRecord>) {
    this.run = run
    this.graph = graph
    this.nodes = new Map([...records].map((record) => [record.nodeId, record]))
    this.order = [...this.nodes.values()]
  }

  /** Whether every node is terminal; amortised O(1), as runs check it after every step. */
  get allNodesFinished(): boolean {
    while (this.unfinishedFrom < this.order.length) {
      const record = this.order[this.unfinishedFrom] as NodeExecutionRecord
      if (!isTerminalNode(record.status)) return false
      this.unfinishedFrom++
    }
    return true
  }

  get id(): string {
    return this.run.id
  }

  node(nodeId: string): NodeExecutionRecord {
    const record = this.nodes.get(nodeId)
    if (!record) throw new Error(`run ${this.run.id} has no node ${nodeId}`)
    return record
  }

  /** Nodes queued or running: what counts against the per-run limit. */
  get inFlight(): number {
    let count = this.deciding.size
    for (const record of this.nodes.values()) if (record.status === 'queued' || record.status === 'running') count++
    return count
  }
}
