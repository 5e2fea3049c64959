import type { WorkflowSummary } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { api } from '../../app/api.ts'
import { formatDate, formatRelative } from '../../app/format.ts'
import { StatusBadge } from '../../ui/Badge.tsx'
import { IconButton } from '../../ui/Button.tsx'
import { CopyIcon, DownloadIcon, EditIcon, MoreIcon, TrashIcon, WorkflowIcon } from '../../ui/icons.tsx'
import { Menu } from '../../ui/Menu.tsx'
import { Skeleton } from '../../ui/Spinner.tsx'
import { Td, Tr } from '../../ui/Table.tsx'

export interface WorkflowItemProps {
  workflow: WorkflowSummary
  canEdit: boolean
  onRename: () => void
  onDuplicate: () => void
  onExport: () => void
  onDelete: () => void
}

function LastRun({ workflowId }: { workflowId: string }) {
  const { data, isPending } = useQuery({
    queryKey: ['runs', 'last', workflowId],
    queryFn: () => api.runs.list({ workflowId, limit: 1 }),
    staleTime: 15_000,
  })
  if (isPending) return <Skeleton className="h-5 w-16 rounded-full" />
  const run = data?.items[0]
  if (!run) return <span className="text-[12px] text-muted">Never run</span>
  return (
    <Link
      to={`/runs/${run.id}`}
      onClick={(event) => event.stopPropagation()}
      title={`Last run ${formatDate(run.createdAt)}`}
      className="relative z-10 inline-flex"
    >
      <StatusBadge status={run.status} />
    </Link>
  )
}

function Actions({ workflow, canEdit, onRename, onDuplicate, onExport, onDelete }: WorkflowItemProps) {
  return (
    <Menu
      trigger={(props) => (
        <IconButton label={`Actions for ${workflow.name}`} size="sm" className="relative z-10" {...props}>
          <MoreIcon size={16} />
        </IconButton>
      )}
      items={[
        canEdit && { label: 'Rename', icon: <EditIcon size={14} />, onSelect: onRename },
        canEdit && { label: 'Duplicate', icon: <CopyIcon size={14} />, onSelect: onDuplicate },
        { label: 'Export JSON', icon: <DownloadIcon size={14} />, onSelect: onExport },
        canEdit && {
          label: 'Delete',
          icon: <TrashIcon size={14} />,
          onSelect: onDelete,
          danger: true,
          separated: true,
        },
      ]}
    />
  )
}

/** A workflow as a card of the grid; the whole card opens the editor. */
export function WorkflowCard(props: WorkflowItemProps) {
  const { workflow } = props
  return (
    <div className="group relative flex flex-col rounded-lg border border-border bg-panel p-4 transition-shadow hover:border-border-strong hover:shadow-pop">
      <div className="flex items-start justify-between gap-2">
        <div className="flex size-8 items-center justify-center rounded-md bg-accent-soft text-accent">
          <WorkflowIcon size={16} />
        </div>
        <Actions {...props} />
      </div>
      <Link
        to={`/workflows/${workflow.id}`}
        className="mt-3 truncate font-medium text-[14px] after:absolute after:inset-0 after:rounded-lg focus:outline-none focus-visible:after:shadow-[var(--pb-focus)]"
        title={workflow.name}
      >
        {workflow.name}
      </Link>
      <div className="mt-3 flex items-center justify-between gap-2">
        <span className="text-[12px] text-muted" title={formatDate(workflow.updatedAt)}>
          Edited {formatRelative(workflow.updatedAt)}
        </span>
        <LastRun workflowId={workflow.id} />
      </div>
    </div>
  )
}

/** A workflow as a row of the list view. */
export function WorkflowRow(props: WorkflowItemProps) {
  const { workflow } = props
  return (
    <Tr>
      <Td className="max-w-0">
        <Link
          to={`/workflows/${workflow.id}`}
          className="flex items-center gap-2.5 truncate font-medium hover:text-accent"
          title={workflow.name}
        >
          <WorkflowIcon size={14} className="shrink-0 text-muted" />
          <span className="truncate">{workflow.name}</span>
        </Link>
      </Td>
      <Td className="w-40 text-muted" title={formatDate(workflow.updatedAt)}>
        {formatRelative(workflow.updatedAt)}
      </Td>
      <Td className="w-32">
        <LastRun workflowId={workflow.id} />
      </Td>
      <Td className="w-12 text-right">
        <Actions {...props} />
      </Td>
    </Tr>
  )
}

/** The grid's placeholder card. */
export function WorkflowCardSkeleton() {
  return (
    <div className="flex flex-col rounded-lg border border-border bg-panel p-4">
      <Skeleton className="size-8" />
      <Skeleton className="mt-3 h-4 w-2/3" />
      <div className="mt-3 flex justify-between">
        <Skeleton className="h-3.5 w-24" />
        <Skeleton className="h-5 w-16 rounded-full" />
      </div>
    </div>
  )
}
