import type { Asset } from '@patchbay/sdk'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api, queryClient } from '../app/api.ts'
import { confirmedAction } from '../app/confirmed-action.ts'
import { errorMessage } from '../app/errors.ts'
import { assetUrl, formatBytes, formatDate, formatDuration, formatRelative } from '../app/format.ts'
import { useDebounced } from '../app/hooks.ts'
import { useCan } from '../app/session.ts'
import { FALLBACK_POLL_MS, useOrgEvents } from '../app/use-org-events.ts'
import { kindIcons } from '../app/ValueView.tsx'
import { Button } from '../ui/Button.tsx'
import { cx } from '../ui/cx.ts'
import { ConfirmDialog, Dialog } from '../ui/Dialog.tsx'
import { DropZone, pickFiles } from '../ui/DropZone.tsx'
import { EmptyState, ErrorState } from '../ui/EmptyState.tsx'
import { Input } from '../ui/Input.tsx'
import { AssetsIcon, DownloadIcon, FileIcon, SearchIcon, TrashIcon, UploadIcon } from '../ui/icons.tsx'
import { PageHeader } from '../ui/PageHeader.tsx'
import { placeholders, Skeleton } from '../ui/Spinner.tsx'
import { Pager } from '../ui/Table.tsx'
import { Tabs } from '../ui/Tabs.tsx'
import { toast } from '../ui/toast.tsx'

const pageSize = 30
type KindFilter = 'all' | Asset['kind']
const kinds: { value: KindFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'image', label: 'Images' },
  { value: 'video', label: 'Video' },
  { value: 'audio', label: 'Audio' },
  { value: 'file', label: 'Files' },
]

/** `/assets`: uploaded and generated media, with upload, preview, download and delete. */
export function AssetsPage() {
  const canEdit = useCan('editor')
  const [kind, setKind] = useState<KindFilter>('all')
  const [search, setSearch] = useState('')
  const [offset, setOffset] = useState(0)
  const [uploading, setUploading] = useState(0)
  const [opened, setOpened] = useState<Asset>()
  const [deleting, setDeleting] = useState<Asset>()
  const query = useDebounced(search.trim())
  useOrgEvents() // generated media appears as runs produce it

  const assets = useQuery({
    queryKey: ['assets', { kind, search: query, offset }],
    queryFn: () =>
      api.assets.list({ kind: kind === 'all' ? undefined : kind, search: query || undefined, limit: pageSize, offset }),
    placeholderData: keepPreviousData,
    refetchInterval: FALLBACK_POLL_MS,
  })

  async function upload(files: File[]) {
    setUploading((n) => n + files.length)
    for (const file of files) {
      try {
        await api.assets.upload(file)
        toast.success(`Uploaded ${file.name}`)
      } catch (error) {
        toast.error(error, `Could not upload ${file.name}`)
      } finally {
        setUploading((n) => n - 1)
      }
    }
    void queryClient.invalidateQueries({ queryKey: ['assets'] })
  }

  async function remove(asset: Asset) {
    await confirmedAction(
      () => api.assets.remove(asset.id),
      { success: 'Asset deleted', failure: 'Could not delete the asset' },
      () => {
        void queryClient.invalidateQueries({ queryKey: ['assets'] })
        setOpened(undefined)
      },
    )
  }

  const items = assets.data?.items ?? []
  const filtered = kind !== 'all' || Boolean(query)
  const uploadButton = canEdit && (
    <Button
      variant="primary"
      icon={<UploadIcon size={14} />}
      loading={uploading > 0}
      onClick={async () => upload(await pickFiles({ multiple: true, accept: 'image/*,video/*,audio/*,*/*' }))}
    >
      {uploading > 0 ? `Uploading ${uploading}…` : 'Upload'}
    </Button>
  )

  return (
    <DropZone onFiles={upload} label="Drop files to upload" disabled={!canEdit}>
      <PageHeader
        title="Assets"
        description="Images, video, audio and files used and produced by runs."
        actions={uploadButton}
      />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <Tabs
          items={kinds}
          value={kind}
          onChange={(value) => {
            setKind(value)
            setOffset(0)
          }}
        />
        <Input
          leading={<SearchIcon size={14} />}
          placeholder="Search by name"
          aria-label="Search assets"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value)
            setOffset(0)
          }}
          className="w-64"
        />
      </div>

      {assets.isError ? (
        <ErrorState message={errorMessage(assets.error)} onRetry={() => assets.refetch()} />
      ) : assets.isSuccess && items.length === 0 ? (
        <EmptyState
          icon={<AssetsIcon size={18} />}
          title={filtered ? 'No assets match' : 'No assets yet'}
          description={
            filtered
              ? undefined
              : canEdit
                ? 'Upload images, video or audio to use in workflows (or drop files here). Generated media appears here too.'
                : 'Generated and uploaded media will appear here.'
          }
          action={filtered ? undefined : uploadButton}
        />
      ) : (
        <div
          className={cx(
            'grid grid-cols-2 gap-3 sm:grid-cols-3 md:grid-cols-4 lg:grid-cols-5',
            assets.isPlaceholderData && 'opacity-60',
          )}
        >
          {assets.isPending
            ? placeholders(10).map((key) => <Skeleton key={key} className="aspect-square w-full rounded-lg" />)
            : items.map((asset) => <AssetTile key={asset.id} asset={asset} onOpen={() => setOpened(asset)} />)}
        </div>
      )}
      {assets.data && <Pager offset={offset} limit={pageSize} total={assets.data.total} onChange={setOffset} />}

      <AssetDialog asset={opened} canEdit={canEdit} onClose={() => setOpened(undefined)} onDelete={setDeleting} />
      <ConfirmDialog
        open={deleting !== undefined}
        onClose={() => setDeleting(undefined)}
        title="Delete asset?"
        description={`${deleting?.name ?? 'This asset'} will be deleted. Workflows that load it will fail until you choose another.`}
        confirmLabel="Delete"
        onConfirm={() => deleting && remove(deleting)}
      />
    </DropZone>
  )
}

function AssetTile({ asset, onOpen }: { asset: Asset; onOpen: () => void }) {
  const Icon = kindIcons[asset.kind]
  return (
    <button
      type="button"
      onClick={onOpen}
      className="group flex flex-col overflow-hidden rounded-lg border border-border bg-panel text-left transition-colors hover:border-border-strong"
    >
      <div className="pb-checker flex aspect-square w-full items-center justify-center overflow-hidden">
        {asset.thumbnailUrl ? (
          <img src={assetUrl(asset.thumbnailUrl)} alt="" loading="lazy" className="size-full object-cover" />
        ) : (
          <div className="flex size-full items-center justify-center bg-subtle text-muted">
            <Icon size={28} />
          </div>
        )}
      </div>
      <div className="px-2.5 py-2">
        <p className="truncate font-medium text-[12px]" title={asset.name ?? asset.id}>
          {asset.name ?? asset.mime}
        </p>
        <p className="text-[11px] text-muted">
          {formatBytes(asset.bytes)} · {formatRelative(asset.createdAt)}
        </p>
      </div>
    </button>
  )
}

function AssetDialog({
  asset,
  canEdit,
  onClose,
  onDelete,
}: {
  asset: Asset | undefined
  canEdit: boolean
  onClose: () => void
  onDelete: (asset: Asset) => void
}) {
  if (!asset) return null
  const facts = [
    asset.mime,
    formatBytes(asset.bytes),
    asset.width && asset.height ? `${asset.width} × ${asset.height}` : undefined,
    asset.durationMs ? formatDuration(asset.durationMs) : undefined,
    formatDate(asset.createdAt),
  ].filter(Boolean)
  return (
    <Dialog
      open
      onClose={onClose}
      size="xl"
      title={asset.name ?? asset.id}
      description={facts.join(' · ')}
      footer={
        <>
          {canEdit && (
            <Button
              variant="ghost"
              className="mr-auto text-danger"
              icon={<TrashIcon size={14} />}
              onClick={() => onDelete(asset)}
            >
              Delete
            </Button>
          )}
          <a
            href={assetUrl(asset.url)}
            download={asset.name ?? true}
            className="inline-flex h-8 items-center gap-1.5 rounded-md border border-border bg-panel px-3 font-medium hover:bg-hover"
          >
            <DownloadIcon size={14} /> Download
          </a>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </>
      }
    >
      <div className="pb-checker flex max-h-[65vh] items-center justify-center overflow-hidden rounded-md border border-border">
        {asset.kind === 'image' ? (
          <img src={assetUrl(asset.url)} alt={asset.name ?? ''} className="max-h-[65vh] w-auto object-contain" />
        ) : asset.kind === 'video' ? (
          // biome-ignore lint/a11y/useMediaCaption: uploaded and generated media carry no captions
          <video src={assetUrl(asset.url)} controls autoPlay className="max-h-[65vh] w-full bg-black" />
        ) : asset.kind === 'audio' ? (
          <div className="w-full bg-panel p-8">
            {/* biome-ignore lint/a11y/useMediaCaption: uploaded and generated media carry no captions */}
            <audio src={assetUrl(asset.url)} controls className="w-full" />
          </div>
        ) : (
          <div className="flex flex-col items-center gap-2 bg-panel p-10 text-muted">
            <FileIcon size={28} />
            No preview for this kind of file.
          </div>
        )}
      </div>
    </Dialog>
  )
}
