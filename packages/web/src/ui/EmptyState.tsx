import type { ReactNode } from 'react'
import { cx } from './cx.ts'

export interface EmptyStateProps {
  icon?: ReactNode
  title: ReactNode
  description?: ReactNode
  /** The call to action, usually a primary Button. */
  action?: ReactNode
  className?: string
}

/** What a list shows when it has nothing: what would be here, and how to add the first one. */
export function EmptyState({ icon, title, description, action, className }: EmptyStateProps) {
  return (
    <div
      className={cx(
        'flex flex-col items-center justify-center rounded-lg border border-border border-dashed px-6 py-12 text-center',
        className,
      )}
    >
      {icon && (
        <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-subtle text-muted">{icon}</div>
      )}
      <p className="font-medium text-[14px]">{title}</p>
      {description && <p className="mt-1 max-w-md text-muted">{description}</p>}
      {action && <div className="mt-4 flex gap-2">{action}</div>}
    </div>
  )
}

/** An inline error box with an optional retry, for a query that failed. */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div
      role="alert"
      className="flex items-center justify-between gap-4 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3 text-danger"
    >
      <span>{message}</span>
      {onRetry && (
        <button type="button" onClick={onRetry} className="font-medium underline underline-offset-2">
          Try again
        </button>
      )}
    </div>
  )
}
