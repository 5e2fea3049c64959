import type { Workflow } from '@patchbay/sdk'
import { groupContents, groupsOf } from './annotations.ts'
import type { Size, XY } from './geometry.ts'

const COLUMN_GAP = 80
const ROW_GAP = 40
const DEFAULT_SIZE: Size = { width: 260, height: 160 }

/** One thing the layout places: a node outside every group, or a top-level group as a block. */
interface Item {
  id: string
  position: XY
  size: Size
}

/**
 * A layered left-to-right layout: each item's column is its longest distance from a source;
 * within a column items keep their current top-to-bottom order.
 *
 * A group is laid out as one block with everything inside it (its nodes, notes and inner
 * groups keep their arrangement, as when the group is dragged), so the layout never pulls a
 * node out of its frame. Edges into and out of a group count as the block's. Notes outside
 * every group stay where they are. Returns new positions by id: nodes, groups and what moved
 * with them.
 */
export function layeredLayout(document: Workflow, sizes: ReadonlyMap<string, Size>): Record<string, XY> {
  const sizeOf = (id: string) => sizes.get(id)
  const groups = groupsOf(document)
  const contents = new Map(groups.map((group) => [group.id, groupContents(document, group.id, sizeOf)]))
  const inner = new Set(groups.flatMap((group) => (contents.get(group.id) ?? []).filter((id) => contents.has(id))))

  // Which block carries each id: the first top-level group holding it, else itself.
  const blockOf = new Map<string, string>()
  const items: Item[] = []
  for (const group of groups) {
    if (inner.has(group.id)) continue
    items.push({ id: group.id, position: group.position, size: group.size })
    for (const id of contents.get(group.id) ?? []) if (!blockOf.has(id)) blockOf.set(id, group.id)
  }
  for (const node of document.nodes) {
    if (blockOf.has(node.id)) continue
    items.push({ id: node.id, position: node.position ?? { x: 0, y: 0 }, size: sizes.get(node.id) ?? DEFAULT_SIZE })
  }
  const links = document.edges.flatMap((edge) => {
    const source = blockOf.get(edge.source) ?? edge.source
    const target = blockOf.get(edge.target) ?? edge.target
    return source === target ? [] : [{ source, target }]
  })

  const placed = layOut(items, links)
  const positions: Record<string, XY> = { ...placed }
  const before = positionsBefore(document)
  for (const [id, block] of blockOf) {
    const from = before.get(block)
    const to = placed[block]
    const start = before.get(id)
    if (!from || !to || !start) continue
    positions[id] = { x: start.x + to.x - from.x, y: start.y + to.y - from.y }
  }
  return positions
}

function layOut(items: Item[], links: { source: string; target: string }[]): Record<string, XY> {
  const incoming = new Map<string, string[]>()
  for (const item of items) incoming.set(item.id, [])
  for (const link of links) incoming.get(link.target)?.push(link.source)

  const depth = new Map<string, number>()
  const visiting = new Set<string>()
  const depthOf = (id: string): number => {
    const known = depth.get(id)
    if (known !== undefined) return known
    // A cycle: invalid between nodes, possible between groups (a → outside → back in). Break it.
    if (visiting.has(id)) return 0
    visiting.add(id)
    const parents = incoming.get(id) ?? []
    const value = parents.length === 0 ? 0 : Math.max(...parents.map(depthOf)) + 1
    visiting.delete(id)
    depth.set(id, value)
    return value
  }

  const columns: Item[][] = []
  for (const item of items) {
    const column = depthOf(item.id)
    const list = columns[column] ?? []
    list.push(item)
    columns[column] = list
  }

  const positions: Record<string, XY> = {}
  let x = 0
  for (const column of columns) {
    if (!column) continue
    column.sort((a, b) => a.position.y - b.position.y)
    const width = Math.max(...column.map((item) => item.size.width))
    const total = column.reduce((sum, item) => sum + item.size.height, 0) + ROW_GAP * (column.length - 1)
    let y = -total / 2
    for (const item of column) {
      positions[item.id] = { x, y: Math.round(y) }
      y += item.size.height + ROW_GAP
    }
    x += width + COLUMN_GAP
  }
  return positions
}

function positionsBefore(document: Workflow): Map<string, XY> {
  const positions = new Map<string, XY>()
  for (const item of [...document.nodes, ...(document.notes ?? []), ...(document.groups ?? [])]) {
    if (item.position) positions.set(item.id, item.position)
  }
  return positions
}
