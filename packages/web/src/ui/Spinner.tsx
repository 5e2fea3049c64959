import { cx } from './cx.ts'

/** A small spinning ring in the current text colour. */
export function Spinner({ size = 16, className }: { size?: number; className?: string }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      className={cx('animate-spin', className)}
      role="status"
      aria-label="Loading"
    >
      <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity="0.2" strokeWidth="3" />
      <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  )
}

/** A grey placeholder with the size of what is loading, so nothing jumps when it arrives. */
export function Skeleton({ className }: { className?: string }) {
  return <div className={cx('pb-skeleton rounded-md', className)} aria-hidden="true" />
}

/** A centred spinner filling its parent, for whole-page loads. */
export function PageSpinner() {
  return (
    <div className="flex h-full min-h-40 w-full items-center justify-center text-muted">
      <Spinner size={20} />
    </div>
  )
}

/** `n` stable keys for a row of placeholders: `placeholders(3).map((key) => <Skeleton key={key} />)`. */
export function placeholders(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `placeholder-${i}`)
}
