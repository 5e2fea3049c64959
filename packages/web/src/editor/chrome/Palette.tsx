import type { NodeCatalogEntry } from '@patchbay/sdk'
import { type ButtonHTMLAttributes, type ReactNode, useMemo, useState } from 'react'
import { GroupIcon, NoteIcon } from '../../ui/icons.tsx'
import { ANNOTATION_DRAG_TYPE, NODE_DRAG_TYPE } from '../canvas/dnd.ts'
import { searchNodes } from '../canvas/QuickAdd.tsx'
import { categoryColor, type NodeCatalog } from '../catalog.ts'

const categoryOrder = ['input', 'ai', 'text', 'image', 'video', 'audio', 'logic', 'util', 'output']

const annotations = [
  {
    kind: 'note',
    title: 'Note',
    icon: NoteIcon,
    hint: 'A sticky note with markdown text (N)',
    words: 'note sticky comment text markdown annotate',
  },
  {
    kind: 'group',
    title: 'Group',
    icon: GroupIcon,
    hint: 'A frame around the selected nodes, or an empty one (G)',
    words: 'group frame box section annotate',
  },
] as const

/** The node palette: types grouped by category, searchable, dragged onto the canvas; notes and groups on top. */
export function Palette({
  catalog,
  readOnly,
  onAdd,
  onAnnotate,
}: {
  catalog: NodeCatalog
  readOnly: boolean
  onAdd(type: string): void
  /** Adds a note or group in the middle of the view (a group wraps the selection, if any). */
  onAnnotate?(kind: 'note' | 'group'): void
}) {
  const [query, setQuery] = useState('')
  const words = query.trim().toLowerCase()
  const tools = onAnnotate ? annotations.filter((tool) => !words || tool.words.includes(words)) : []
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
        {tools.length > 0 ? (
          <section className="mb-3" aria-label="Annotate">
            <h3
              className="mb-1 px-1 font-semibold text-[11px] uppercase tracking-wide"
              style={{ color: 'var(--pb-muted, #6b6b76)' }}
            >
              Annotate
            </h3>
            <div className="grid grid-cols-2 gap-1">
              {tools.map((tool) => (
                <PaletteItem
                  key={tool.kind}
                  drag={{ type: ANNOTATION_DRAG_TYPE, value: tool.kind }}
                  hint={tool.hint}
                  readOnly={readOnly}
                  className="flex items-center gap-1.5 rounded-md border px-2 py-1.5"
                  style={{ borderColor: 'var(--pb-border, #e2e2e6)' }}
                  data-annotation={tool.kind}
                  onClick={() => onAnnotate?.(tool.kind)}
                >
                  <tool.icon size={15} style={{ color: 'var(--pb-muted, #6b6b76)' }} />
                  {tool.title}
                </PaletteItem>
              ))}
            </div>
          </section>
        ) : null}
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
              <PaletteItem
                key={entry.type}
                drag={{ type: NODE_DRAG_TYPE, value: entry.type }}
                hint={entry.description ?? entry.title}
                readOnly={readOnly}
                className="flex w-full flex-col rounded-md px-2 py-1"
                data-node-type={entry.type}
                onClick={() => onAdd(entry.type)}
              >
                <span>{entry.title}</span>
                <span className="font-mono text-[10px]" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
                  {entry.type}
                </span>
              </PaletteItem>
            ))}
          </section>
        ))}
        {groups.length === 0 && tools.length === 0 ? (
          <p className="px-1 text-xs" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
            No node matches “{query}”.
          </p>
        ) : null}
      </div>
    </aside>
  )
}

/** A palette entry: dragged onto the canvas (carrying `drag`), or clicked to add. */
function PaletteItem({
  drag,
  hint,
  readOnly,
  className,
  children,
  ...rest
}: {
  drag: { type: string; value: string }
  hint: string
  readOnly: boolean
  className: string
  children: ReactNode
} & Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'title' | 'draggable' | 'disabled' | 'onDragStart'>) {
  return (
    <button
      type="button"
      draggable={!readOnly}
      disabled={readOnly}
      className={`pb-palette-item text-left text-sm disabled:cursor-default ${className}`}
      title={`${hint}\n${readOnly ? '' : 'Drag onto the canvas, or click to add'}`}
      onDragStart={(event) => {
        event.dataTransfer.setData(drag.type, drag.value)
        event.dataTransfer.effectAllowed = 'copy'
      }}
      {...rest}
    >
      {children}
    </button>
  )
}
