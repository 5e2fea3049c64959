import { useState } from 'react'
import { cx } from '../../ui/cx.ts'

const MAX_CHILDREN = 100
const MAX_STRING = 300

/** A collapsible JSON tree; objects deeper than `openDepth` start closed. */
export function JsonView({
  value,
  openDepth = 1,
  className,
}: {
  value: unknown
  openDepth?: number
  className?: string
}) {
  return (
    <div className={cx('pl-3 font-mono text-[11px] leading-[1.45]', className)}>
      <JsonNode value={value} depth={0} openDepth={openDepth} />
    </div>
  )
}

function JsonNode({
  name,
  value,
  depth,
  openDepth,
}: {
  name?: string
  value: unknown
  depth: number
  openDepth: number
}) {
  const [open, setOpen] = useState(depth < openDepth)
  const key = name === undefined ? null : <span className="text-muted">{name}: </span>
  if (value === null || typeof value !== 'object') {
    return (
      <div className="truncate" title={typeof value === 'string' && value.length > 40 ? value : undefined}>
        {key}
        <Primitive value={value} />
      </div>
    )
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value)
  const [opening, closing] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (entries.length === 0) {
    return (
      <div>
        {key}
        <span className="text-muted">
          {opening}
          {closing}
        </span>
      </div>
    )
  }
  return (
    <div>
      <button
        type="button"
        className="-ml-3 flex items-center text-left hover:text-accent"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        <span className={cx('inline-block w-3 text-muted transition-transform', open && 'rotate-90')}>▸</span>
        {key}
        <span className="text-muted">
          {opening}
          {!open && ` ${entries.length} ${Array.isArray(value) ? 'items' : 'keys'} ${closing}`}
        </span>
      </button>
      {open && (
        <div className="border-border border-l pl-3">
          {entries.slice(0, MAX_CHILDREN).map(([childName, child]) => (
            <JsonNode key={childName} name={childName} value={child} depth={depth + 1} openDepth={openDepth} />
          ))}
          {entries.length > MAX_CHILDREN && <div className="text-muted">… {entries.length - MAX_CHILDREN} more</div>}
        </div>
      )}
      {open && <span className="text-muted">{closing}</span>}
    </div>
  )
}

function Primitive({ value }: { value: unknown }) {
  if (typeof value === 'string') {
    const shown = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value
    return <span className="text-[var(--pb-type-text)]">"{shown}"</span>
  }
  if (typeof value === 'number') return <span className="text-[var(--pb-type-number)]">{value}</span>
  if (typeof value === 'boolean') return <span className="text-[var(--pb-type-boolean)]">{String(value)}</span>
  return <span className="text-muted">{value === undefined ? 'undefined' : 'null'}</span>
}
