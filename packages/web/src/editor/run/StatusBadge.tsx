import type { NodeStatus, RunStatus } from '@patchbay/core'
import { cx } from '../../ui/cx.ts'

const styles: Record<NodeStatus, string> = {
  pending: 'bg-subtle text-muted',
  queued: 'bg-subtle text-muted',
  running: 'bg-accent-soft text-accent',
  succeeded: 'bg-success-soft text-success',
  cached: 'bg-info-soft text-info',
  failed: 'bg-danger-soft text-danger',
  skipped: 'bg-subtle text-muted',
  canceled: 'bg-warning-soft text-warning',
}

const labels: Record<NodeStatus, string> = {
  pending: 'waiting',
  queued: 'queued',
  running: 'running',
  succeeded: 'done',
  cached: 'cached',
  failed: 'failed',
  skipped: 'skipped',
  canceled: 'canceled',
}

/** A node's or run's status as a small coloured pill; `running` pulses. */
export function StatusBadge({
  status,
  label,
  className,
}: {
  status: NodeStatus | RunStatus
  label?: string
  className?: string
}) {
  return (
    <span
      className={cx(
        'inline-flex h-[18px] shrink-0 items-center gap-1 rounded-full px-1.5 font-medium text-[11px] leading-none',
        styles[status],
        className,
      )}
    >
      <StatusDot status={status} />
      {label ?? labels[status]}
    </span>
  )
}

const dots: Record<NodeStatus, string> = {
  pending: 'bg-muted/50',
  queued: 'bg-muted',
  running: 'bg-accent',
  succeeded: 'bg-success',
  cached: 'bg-info',
  failed: 'bg-danger',
  skipped: 'bg-muted/50',
  canceled: 'bg-warning',
}

/** Just the coloured dot (lists). */
export function StatusDot({ status }: { status: NodeStatus | RunStatus }) {
  return (
    <span className="relative inline-flex size-1.5 shrink-0">
      {status === 'running' && <span className="absolute inset-0 animate-ping rounded-full bg-accent opacity-75" />}
      <span className={cx('relative inline-flex size-1.5 rounded-full', dots[status])} />
    </span>
  )
}
