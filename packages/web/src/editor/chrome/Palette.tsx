import type { NodeCatalogEntry } from '@patchbay/sdk'
import { useMemo, useState } from 'react'
import { NODE_DRAG_TYPE } from '../canvas/dnd.ts'
import { searchNodes } from '../canvas/QuickAdd.tsx'
import { categoryColor, type NodeCatalog } from '../catalog.ts'

const categoryOrder = ['input', 'ai', 'text', 'image', 'video', 'audio', 'logic', 'util', 'output']

/** The node palette: types grouped by category, searchable, dragged onto the canvas. */
export function Palette({
  catalog,
  readOnly,
  onAdd,
}: {
  catalog: NodeCatalog
  readOnly: boolean
  onAdd(type: string): void
}) {
  const [query, setQuery] = useState('')
  const groups = useMemo(() => {
    const found = searchNodes([...catalog.values()], query)
    const byCategory = new Map<string, NodeCatalogEntry[]>()
    for (const entry of found) byCategory.set(entry.category, [...(byCategory.get(entry.category) ?? []), entry])
    const rank = (category: string) => {
      const index = categoryOrder.indexOf(category)
      return index === -1 ? categoryOrder.length : index
    }
    return [...byCategory].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
  }, [catalog, query])

  return (
    <aside
      className="flex h-full w-60 shrink-0 flex-col border-r"
      style={{ background: 'var(--pb-panel, #fff)', borderColor: 'var(--pb-border, #e2e2e6)' }}
      aria-label="Node palette"
    >
      <div className="p-2">
        <input
          type="search"
          className="pb-field w-full"
          placeholder="Search nodes…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <div className="flex-1 overflow-y-auto px-2 pb-4">
        {groups.map(([category, entries]) => (
          <section key={category} className="mb-3">
            <h3
              className="mb-1 flex items-center gap-1.5 px-1 font-semibold text-[11px] uppercase tracking-wide"
              style={{ color: 'var(--pb-muted, #6b6b76)' }}
            >
              <span className="h-2 w-2 rounded-full" style={{ background: categoryColor(category) }} />
              {category}
            </h3>
            {entries.map((entry) => (
              <button
                type="button"
                key={entry.type}
                draggable={!readOnly}
                disabled={readOnly}
                className="pb-palette-item flex w-full flex-col rounded-md px-2 py-1 text-left text-sm disabled:cursor-default"
                title={`${entry.description ?? entry.title}\n${readOnly ? '' : 'Drag onto the canvas, or click to add'}`}
                data-node-type={entry.type}
                onDragStart={(event) => {
                  event.dataTransfer.setData(NODE_DRAG_TYPE, entry.type)
                  event.dataTransfer.effectAllowed = 'copy'
                }}
                onClick={() => onAdd(entry.type)}
              >
                <span>{entry.title}</span>
                <span className="font-mono text-[10px]" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
                  {entry.type}
                </span>
              </button>
            ))}
          </section>
        ))}
        {groups.length === 0 ? (
          <p className="px-1 text-xs" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
            No node matches “{query}”.
          </p>
        ) : null}
      </div>
    </aside>
  )
}
