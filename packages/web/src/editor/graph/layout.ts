import type { Workflow } from '@patchbay/sdk'
import type { XY } from './document-ops.ts'

export interface Size {
  width: number
  height: number
}

const COLUMN_GAP = 80
const ROW_GAP = 40
const DEFAULT_SIZE: Size = { width: 260, height: 160 }

/**
 * A layered left-to-right layout: each node's column is its longest distance from a source
 * node; within a column nodes keep their current top-to-bottom order. Returns new positions
 * for every node.
 */
export function layeredLayout(document: Workflow, sizes: ReadonlyMap<string, Size>): Record<string, XY> {
  const incoming = new Map<string, string[]>()
  for (const node of document.nodes) incoming.set(node.id, [])
  for (const edge of document.edges) incoming.get(edge.target)?.push(edge.source)

  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const depthOf = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    if (visiting.has(id)) return 0 // a cycle (invalid anyway): break it
    visiting.add(id)
    const parents = incoming.get(id) ?? []
    const value = parents.length === 0 ? 0 : Math.max(...parents.map(depthOf)) + 1
    visiting.delete(id)
    depth.set(id, value)
    return value
  }

  const columns: string[][] = []
  for (const node of document.nodes) {
    const column = depthOf(node.id)
    const list = columns[column] ?? []
    list.push(node.id)
    columns[column] = list
  }

  const byId = new Map(document.nodes.map((node) => [node.id, node]))
  const positions: Record<string, XY> = {}
  let x = 0
  for (const column of columns) {
    if (!column) continue
    column.sort((a, b) => (byId.get(a)?.position?.y ?? 0) - (byId.get(b)?.position?.y ?? 0))
    const width = Math.max(...column.map((id) => (sizes.get(id) ?? DEFAULT_SIZE).width))
    const heights = column.map((id) => (sizes.get(id) ?? DEFAULT_SIZE).height)
    const total = heights.reduce((sum, h) => sum + h, 0) + ROW_GAP * (column.length - 1)
    let y = -total / 2
    column.forEach((id, index) => {
      positions[id] = { x, y: Math.round(y) }
      y += (heights[index] ?? DEFAULT_SIZE.height) + ROW_GAP
    })
    x += width + COLUMN_GAP
  }
  return positions
}
