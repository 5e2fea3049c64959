import type { HTMLAttributes, ReactNode, TdHTMLAttributes, ThHTMLAttributes } from 'react'
import { cx } from './cx.ts'
import { placeholders, Skeleton } from './Spinner.tsx'

/** A bordered table in a panel; compose with Th, Td and Tr. */
export function Table({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <div className={cx('overflow-x-auto rounded-lg border border-border bg-panel', className)}>
      <table className="w-full border-collapse text-left text-[13px] [&_tbody>tr:last-child>td]:border-b-0">
        {children}
      </table>
    </div>
  )
}

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      className={cx(
        'h-9 whitespace-nowrap border-border border-b bg-subtle/60 px-3 font-medium text-[12px] text-muted',
        className,
      )}
      {...props}
    />
  )
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cx('h-11 border-border border-b px-3 align-middle', className)} {...props} />
}

/** A row; with `onClick` it highlights on hover and opens on Enter too. */
export function Tr({ className, onClick, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr
      className={cx(onClick && 'cursor-pointer hover:bg-hover/60', className)}
      onClick={onClick}
      onKeyDown={
        onClick
          ? (event) => {
              if (event.key === 'Enter') onClick(event as unknown as React.MouseEvent<HTMLTableRowElement>)
            }
          : undefined
      }
      tabIndex={onClick ? 0 : undefined}
      {...props}
    />
  )
}

/** Placeholder rows while a table loads, so the page does not jump. */
export function SkeletonRows({ rows = 5, columns }: { rows?: number; columns: number }) {
  return (
    <>
      {placeholders(rows).map((row) => (
        <tr key={row}>
          {placeholders(columns).map((column, index) => (
            <Td key={column}>
              <Skeleton className={cx('h-3.5', index === 0 ? 'w-32' : 'w-16')} />
            </Td>
          ))}
        </tr>
      ))}
    </>
  )
}

/** "1–20 of 134" with previous/next buttons. */
export function Pager({
  offset,
  limit,
  total,
  onChange,
}: {
  offset: number
  limit: number
  total: number
  onChange: (offset: number) => void
}) {
  if (total <= limit && offset === 0) return null
  const end = Math.min(offset + limit, total)
  return (
    <div className="flex items-center justify-end gap-3 pt-3 text-muted">
      <span>
        {total === 0 ? 0 : offset + 1}–{end} of {total}
      </span>
      <div className="flex gap-1">
        <button
          type="button"
          className="h-7 rounded-md border border-border bg-panel px-2.5 text-text hover:bg-hover disabled:opacity-40"
          disabled={offset === 0}
          onClick={() => onChange(Math.max(0, offset - limit))}
        >
          Previous
        </button>
        <button
          type="button"
          className="h-7 rounded-md border border-border bg-panel px-2.5 text-text hover:bg-hover disabled:opacity-40"
          disabled={end >= total}
          onClick={() => onChange(offset + limit)}
        >
          Next
        </button>
      </div>
    </div>
  )
}
