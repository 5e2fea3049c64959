import type { ReactNode } from 'react'
import { cx } from './cx.ts'

/** The colour families of badges. */
export type BadgeTone = 'neutral' | 'accent' | 'success' | 'danger' | 'warning' | 'info'

const tones: Record<BadgeTone, string> = {
  neutral: 'bg-subtle text-muted',
  accent: 'bg-accent-soft text-accent',
  success: 'bg-success-soft text-success',
  danger: 'bg-danger-soft text-danger',
  warning: 'bg-warning-soft text-warning',
  info: 'bg-info-soft text-info',
}

/** A small rounded label. */
export function Badge({
  tone = 'neutral',
  children,
  className,
}: {
  tone?: BadgeTone
  children: ReactNode
  className?: string
}) {
  return (
    <span
      className={cx(
        'inline-flex h-5 items-center gap-1 whitespace-nowrap rounded-full px-2 font-medium text-[11px]',
        tones[tone],
        className,
      )}
    >
      {children}
    </span>
  )
}

/** Tones of run and node statuses (`queued`, `running`, `succeeded`, `failed`, `canceled`, `skipped`, `cached`…). */
export const statusTones: Record<string, BadgeTone> = {
  pending: 'neutral',
  queued: 'neutral',
  running: 'info',
  succeeded: 'success',
  cached: 'success',
  failed: 'danger',
  canceled: 'warning',
  skipped: 'neutral',
}

/** A run's or node's status, coloured; running ones pulse. */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const tone = statusTones[status] ?? 'neutral'
  return (
    <Badge tone={tone} className={className}>
      <span
        className={cx('size-1.5 rounded-full bg-current', status === 'running' && 'animate-pulse')}
        aria-hidden="true"
      />
      {status}
    </Badge>
  )
}
