import { type ReactNode, useRef } from 'react'
import { NavLink } from 'react-router'
import { cx } from './cx.ts'

export interface TabItem<T extends string> {
  value: T
  label: ReactNode
}

/** A row of tabs (ARIA tablist; arrow keys move between them). */
export function Tabs<T extends string>({
  items,
  value,
  onChange,
  className,
}: {
  items: TabItem<T>[]
  value: T
  onChange: (value: T) => void
  className?: string
}) {
  const list = useRef<HTMLDivElement>(null)
  function onKey(event: React.KeyboardEvent) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    const index = items.findIndex((item) => item.value === value)
    const next = items[(index + (event.key === 'ArrowRight' ? 1 : -1) + items.length) % items.length]
    if (!next) return
    onChange(next.value)
    list.current?.querySelector<HTMLElement>(`[data-value="${next.value}"]`)?.focus()
  }
  return (
    <div ref={list} role="tablist" onKeyDown={onKey} className={cx('flex gap-1 border-border border-b', className)}>
      {items.map((item) => (
        <button
          key={item.value}
          type="button"
          role="tab"
          data-value={item.value}
          aria-selected={item.value === value}
          tabIndex={item.value === value ? 0 : -1}
          onClick={() => onChange(item.value)}
          className={cx(
            '-mb-px h-9 border-b-2 px-3 font-medium text-[13px] transition-colors',
            item.value === value ? 'border-accent text-text' : 'border-transparent text-muted hover:text-text',
          )}
        >
          {item.label}
        </button>
      ))}
    </div>
  )
}

/** Tabs that are links (each tab a route), for sub-pages like Settings. */
export function LinkTabs({ items, className }: { items: { to: string; label: ReactNode }[]; className?: string }) {
  return (
    <nav className={cx('flex gap-1 border-border border-b', className)}>
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          className={({ isActive }) =>
            cx(
              '-mb-px flex h-9 items-center border-b-2 px-3 font-medium text-[13px] transition-colors',
              isActive ? 'border-accent text-text' : 'border-transparent text-muted hover:text-text',
            )
          }
        >
          {item.label}
        </NavLink>
      ))}
    </nav>
  )
}
