import type { WorkflowSummary } from '@patchbay/sdk'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../app/api.ts'
import { errorMessage } from '../app/errors.ts'
import { useDebounced, useStoredState } from '../app/hooks.ts'
import { useCan } from '../app/session.ts'
import { Button, IconButton } from '../ui/Button.tsx'
import { cx } from '../ui/cx.ts'
import { ConfirmDialog } from '../ui/Dialog.tsx'
import { DropZone, pickFiles } from '../ui/DropZone.tsx'
import { EmptyState, ErrorState } from '../ui/EmptyState.tsx'
import { Input } from '../ui/Input.tsx'
import { GridIcon, ListIcon, PlusIcon, SearchIcon, UploadIcon, WorkflowIcon } from '../ui/icons.tsx'
import { PageHeader } from '../ui/PageHeader.tsx'
import { placeholders } from '../ui/Spinner.tsx'
import { Pager, SkeletonRows, Table, Th } from '../ui/Table.tsx'
import { RenameDialog } from './workflows/RenameDialog.tsx'
import { TemplateGallery } from './workflows/TemplateGallery.tsx'
import { useWorkflowActions } from './workflows/use-workflow-actions.ts'
import { WorkflowCard, WorkflowCardSkeleton, WorkflowRow } from './workflows/WorkflowItem.tsx'

const pageSize = 24
const views = ['grid', 'list'] as const

/** `/`: the organisation's workflows, with create, import, templates and per-workflow actions. */
export function WorkflowsPage() {
  const canEdit = useCan('editor')
  const [search, setSearch] = useState('')
  const [offset, setOffset] = useState(0)
  const [view, setView] = useStoredState('patchbay.workflows.view', 'grid', views)
  const [renaming, setRenaming] = useState<WorkflowSummary>()
  const [deleting, setDeleting] = useState<WorkflowSummary>()
  const [creating, setCreating] = useState(false)
  const actions = useWorkflowActions()
  const query = useDebounced(search.trim())

  const list = useQuery({
    queryKey: ['workflows', { search: query, offset }],
    queryFn: () => api.workflows.list({ search: query || undefined, limit: pageSize, offset }),
    placeholderData: keepPreviousData,
  })

  async function create(document?: object) {
    setCreating(true)
    await actions.create(document as Record<string, unknown> | undefined)
    setCreating(false)
  }

  async function importPicked() {
    const files = await pickFiles({ accept: '.json,application/json', multiple: true })
    if (files.length > 0) await actions.importFiles(files)
  }

  const items = list.data?.items ?? []
  const empty = list.isSuccess && list.data.total === 0 && !query
  const itemProps = (workflow: WorkflowSummary) => ({
    workflow,
    canEdit,
    onRename: () => setRenaming(workflow),
    onDuplicate: () => actions.duplicate(workflow),
    onExport: () => actions.exportJson(workflow),
    onDelete: () => setDeleting(workflow),
  })

  return (
    <DropZone onFiles={actions.importFiles} label="Drop workflow JSON to import" disabled={!canEdit}>
      <PageHeader
        title="Workflows"
        description="Node graphs that generate text, images, video and audio."
        actions={
          canEdit && (
            <>
              <Button icon={<UploadIcon size={14} />} onClick={importPicked}>
                Import
              </Button>
              <Button variant="primary" icon={<PlusIcon size={14} />} loading={creating} onClick={() => create()}>
                New workflow
              </Button>
            </>
          )
        }
      />

      {!empty && (
        <div className="mb-4 flex items-center gap-2">
          <Input
            leading={<SearchIcon size={14} />}
            placeholder="Search workflows"
            aria-label="Search workflows"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value)
              setOffset(0)
            }}
            className="w-72"
          />
          <div className="ml-auto flex rounded-md border border-border bg-panel p-0.5">
            <IconButton
              label="Grid view"
              size="sm"
              className={cx('size-6', view === 'grid' && 'bg-hover text-text')}
              aria-pressed={view === 'grid'}
              onClick={() => setView('grid')}
            >
              <GridIcon size={14} />
            </IconButton>
            <IconButton
              label="List view"
              size="sm"
              className={cx('size-6', view === 'list' && 'bg-hover text-text')}
              aria-pressed={view === 'list'}
              onClick={() => setView('list')}
            >
              <ListIcon size={14} />
            </IconButton>
          </div>
        </div>
      )}

      {list.isError ? (
        <ErrorState message={errorMessage(list.error)} onRetry={() => list.refetch()} />
      ) : empty ? (
        <EmptyState
          icon={<WorkflowIcon size={18} />}
          title="No workflows yet"
          description={
            canEdit
              ? 'Create a blank workflow, import a JSON file (or drop it here), or start from a template below.'
              : 'Nobody in this organisation has created a workflow yet.'
          }
          action={
            canEdit && (
              <>
                <Button icon={<UploadIcon size={14} />} onClick={importPicked}>
                  Import JSON
                </Button>
                <Button variant="primary" icon={<PlusIcon size={14} />} loading={creating} onClick={() => create()}>
                  New workflow
                </Button>
              </>
            )
          }
        />
      ) : list.isSuccess && items.length === 0 ? (
        <EmptyState
          icon={<SearchIcon size={18} />}
          title={`No workflow matches “${query}”`}
          action={<Button onClick={() => setSearch('')}>Clear search</Button>}
        />
      ) : view === 'grid' ? (
        <div
          className={cx('grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3', list.isPlaceholderData && 'opacity-60')}
        >
          {list.isPending
            ? placeholders(6).map((key) => <WorkflowCardSkeleton key={key} />)
            : items.map((workflow) => <WorkflowCard key={workflow.id} {...itemProps(workflow)} />)}
        </div>
      ) : (
        <Table className={cx(list.isPlaceholderData && 'opacity-60')}>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Edited</Th>
              <Th>Last run</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {list.isPending ? (
              <SkeletonRows columns={4} />
            ) : (
              items.map((workflow) => <WorkflowRow key={workflow.id} {...itemProps(workflow)} />)
            )}
          </tbody>
        </Table>
      )}

      {list.data && <Pager offset={offset} limit={pageSize} total={list.data.total} onChange={setOffset} />}

      {canEdit && <TemplateGallery onUse={create} disabled={creating} />}

      <RenameDialog workflow={renaming} onClose={() => setRenaming(undefined)} />
      <ConfirmDialog
        open={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title="Delete workflow?"
        description={<>“{deleting?.name}” will be deleted. This cannot be undone.</>}
        confirmLabel="Delete"
        onConfirm={() => deleting && actions.remove(deleting)}
      />
    </DropZone>
  )
}
