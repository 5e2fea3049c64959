import { type ReactNode, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { cx } from './cx.ts'

export interface MenuItem {
  label: ReactNode
  icon?: ReactNode
  onSelect: () => void
  danger?: boolean
  disabled?: boolean
  /** Draws a separator above this item. */
  separated?: boolean
}

export interface MenuProps {
  /** Renders the trigger; spread `props` on a button. */
  trigger: (props: {
    ref: (node: HTMLButtonElement | null) => void
    onClick: () => void
    'aria-haspopup': 'menu'
    'aria-expanded': boolean
    'aria-controls': string
  }) => ReactNode
  items: (MenuItem | false | null | undefined)[]
  /** Which edge of the trigger the menu lines up with. */
  align?: 'start' | 'end'
  /** Content above the items (e.g. who is signed in). */
  header?: ReactNode
  minWidth?: number
}

/**
 * A dropdown menu: opens under its trigger (in a portal, so no parent clips it), arrow keys move,
 * Enter selects, Esc or a click outside closes.
 *
 * @example
 * <Menu trigger={(p) => <IconButton label="More" {...p}><MoreIcon /></IconButton>}
 *   items={[{ label: 'Delete', danger: true, onSelect: remove }]} />
 */
export function Menu({ trigger, items, align = 'end', header, minWidth = 180 }: MenuProps) {
  const [open, setOpen] = useState(false)
  const [position, setPosition] = useState<{ top: number; left?: number; right?: number }>({ top: 0 })
  const button = useRef<HTMLButtonElement | null>(null)
  const menu = useRef<HTMLDivElement>(null)
  const id = useId()
  const visible = items.filter((item): item is MenuItem => Boolean(item))

  useLayoutEffect(() => {
    if (!open || !button.current) return
    const rect = button.current.getBoundingClientRect()
    const height = menu.current?.offsetHeight ?? 0
    const below = rect.bottom + 4 + height < window.innerHeight
    const top = below ? rect.bottom + 4 : Math.max(8, rect.top - 4 - height)
    setPosition(align === 'end' ? { top, right: window.innerWidth - rect.right } : { top, left: rect.left })
  }, [open, align])

  useEffect(() => {
    if (!open) return
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([disabled])')?.focus()
    function onPointer(event: PointerEvent) {
      const target = event.target as Node
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false)
    }
    function onKey(event: KeyboardEvent) {
      if (event.key === 'Escape') {
        event.stopPropagation()
        setOpen(false)
        button.current?.focus()
      }
    }
    function onScroll(event: Event) {
      if (!menu.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    document.addEventListener('keydown', onKey, true)
    window.addEventListener('scroll', onScroll, true)
    window.addEventListener('resize', onScroll)
    return () => {
      document.removeEventListener('pointerdown', onPointer)
      document.removeEventListener('keydown', onKey, true)
      window.removeEventListener('scroll', onScroll, true)
      window.removeEventListener('resize', onScroll)
    }
  }, [open])

  function onMenuKey(event: React.KeyboardEvent) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp' && event.key !== 'Home' && event.key !== 'End') return
    event.preventDefault()
    const options = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([disabled])') ?? [])]
    const index = options.indexOf(document.activeElement as HTMLElement)
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? options.length - 1
          : (index + (event.key === 'ArrowDown' ? 1 : -1) + options.length) % options.length
    options[next]?.focus()
  }

  return (
    <>
      {trigger({
        ref: (node) => {
          button.current = node
        },
        onClick: () => setOpen((o) => !o),
        'aria-haspopup': 'menu',
        'aria-expanded': open,
        'aria-controls': id,
      })}
      {open &&
        createPortal(
          <div
            ref={menu}
            id={id}
            role="menu"
            tabIndex={-1}
            onKeyDown={onMenuKey}
            style={{ ...position, minWidth }}
            className="pb-pop fixed z-50 rounded-lg border border-border bg-panel p-1 shadow-pop"
          >
            {header && <div className="border-border border-b px-2.5 pt-1.5 pb-2 mb-1">{header}</div>}
            {visible.map((item, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a menu's items are fixed while it is open
              <div key={index}>
                {item.separated && <div className="-mx-1 my-1 border-border border-t" />}
                <button
                  type="button"
                  role="menuitem"
                  disabled={item.disabled}
                  onClick={() => {
                    setOpen(false)
                    item.onSelect()
                  }}
                  className={cx(
                    'flex h-8 w-full items-center gap-2 rounded-md px-2.5 text-left text-[13px] hover:bg-hover focus:bg-hover focus:outline-none disabled:opacity-50',
                    item.danger ? 'text-danger' : 'text-text',
                  )}
                >
                  {item.icon && <span className={item.danger ? '' : 'text-muted'}>{item.icon}</span>}
                  {item.label}
                </button>
              </div>
            ))}
          </div>,
          document.body,
        )}
    </>
  )
}
