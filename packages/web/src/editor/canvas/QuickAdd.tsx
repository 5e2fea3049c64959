import { isCompatible } from '@patchbay/core'
import type { NodeCatalogEntry } from '@patchbay/sdk'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { PendingWire } from '../actions.ts'
import { categoryColor, type NodeCatalog } from '../catalog.ts'

export interface QuickAddRequest {
  /** Where the menu opens, relative to the canvas element. */
  screen: { x: number; y: number }
  /** Where the node goes, in flow coordinates. */
  flow: { x: number; y: number }
  wire?: PendingWire
}

interface Props {
  request: QuickAddRequest
  catalog: NodeCatalog
  onPick(type: string): void
  onClose(): void
}

/** Node types matching `query` (type, title, category or description), best first. */
export function searchNodes(entries: NodeCatalogEntry[], query: string): NodeCatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return entries
  const scored = entries.flatMap((entry) => {
    const title = entry.title.toLowerCase()
    const haystack = `${entry.type} ${title} ${entry.category} ${entry.description ?? ''}`.toLowerCase()
    if (!words.every((word) => haystack.includes(word))) return []
    const score =
      (title.startsWith(words[0] ?? '') ? 0 : 2) + (entry.type.toLowerCase().includes(words[0] ?? '') ? 0 : 1)
    return [{ entry, score }]
  })
  return scored.sort((a, b) => a.score - b.score).map(({ entry }) => entry)
}

/** Whether a node type has a port the pending wire can attach to. */
function fits(entry: NodeCatalogEntry, wire: PendingWire): boolean {
  return wire.from === 'source'
    ? Object.values(entry.inputs).some((spec) => isCompatible(wire.spec, spec))
    : Object.values(entry.outputs).some((spec) => isCompatible(spec, wire.spec))
}

/** The quick-add menu: type to search, arrows to choose, Enter to add, Escape to close. */
export function QuickAdd({ request, catalog, onPick, onClose }: Props) {
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const inputRef = useRef<HTMLInputElement>(null)
  const listRef = useRef<HTMLDivElement>(null)
  const candidates = useMemo(() => {
    const all = [...catalog.values()]
    return request.wire ? all.filter((entry) => fits(entry, request.wire as PendingWire)) : all
  }, [catalog, request.wire])
  const results = useMemo(() => searchNodes(candidates, query).slice(0, 50), [candidates, query])

  useEffect(() => inputRef.current?.focus(), [])
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [active])

  return (
    <div
      className="nodrag nowheel absolute z-50 w-72 overflow-hidden rounded-lg border shadow-lg"
      style={{
        left: request.screen.x,
        top: request.screen.y,
        background: 'var(--pb-panel, #fff)',
        borderColor: 'var(--pb-border, #e2e2e6)',
        color: 'var(--pb-text, #18181b)',
      }}
      data-testid="quick-add"
    >
      <input
        ref={inputRef}
        className="w-full border-b bg-transparent px-3 py-2 text-sm outline-none"
        style={{ borderColor: 'var(--pb-border, #e2e2e6)' }}
        placeholder={request.wire ? `Add a node for ${request.wire.spec.type}…` : 'Add a node…'}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value)
          setActive(0)
        }}
        onBlur={(event) => {
          if (!event.currentTarget.parentElement?.contains(event.relatedTarget)) onClose()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose()
          else if (event.key === 'ArrowDown') {
            event.preventDefault()
            setActive((index) => Math.min(index + 1, results.length - 1))
          } else if (event.key === 'ArrowUp') {
            event.preventDefault()
            setActive((index) => Math.max(index - 1, 0))
          } else if (event.key === 'Enter') {
            const entry = results[active]
            if (entry) onPick(entry.type)
          }
          event.stopPropagation()
        }}
      />
      <div ref={listRef} className="max-h-72 overflow-y-auto py-1">
        {results.length === 0 ? (
          <div className="px-3 py-2 text-xs" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
            No matching node
          </div>
        ) : null}
        {results.map((entry, index) => (
          <button
            type="button"
            key={entry.type}
            data-index={index}
            className="flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm"
            style={{ background: index === active ? 'var(--pb-accent-soft, #eef0ff)' : undefined }}
            onMouseEnter={() => setActive(index)}
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onPick(entry.type)}
          >
            <span className="h-2 w-2 shrink-0 rounded-full" style={{ background: categoryColor(entry.category) }} />
            <span className="flex-1 truncate">{entry.title}</span>
            <span className="font-mono text-[10px]" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
              {entry.type}
            </span>
          </button>
        ))}
      </div>
    </div>
  )
}
