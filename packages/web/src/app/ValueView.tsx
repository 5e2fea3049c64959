import { useQuery } from '@tanstack/react-query'
import { AudioIcon, DownloadIcon, FileIcon, ImageIcon, VideoIcon } from '../ui/icons.tsx'
import { Skeleton } from '../ui/Spinner.tsx'
import { api } from './api.ts'
import { errorMessage } from './errors.ts'
import { assetUrl, formatBytes } from './format.ts'

/** The shape of a media value flowing between nodes (`AssetRef`), checked loosely. */
export interface AssetRefLike {
  assetId: string
  kind: 'image' | 'video' | 'audio' | 'file'
  mime?: string
  bytes?: number
}

/** Whether a value is a reference to a stored asset. */
export function isAssetRefLike(value: unknown): value is AssetRefLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { assetId?: unknown }).assetId === 'string' &&
    typeof (value as { kind?: unknown }).kind === 'string'
  )
}

export const kindIcons = { image: ImageIcon, video: VideoIcon, audio: AudioIcon, file: FileIcon }

/**
 * Shows a stored asset by id: the image, a video or audio player, or a download link. Fetches
 * `GET /assets/{id}` for its signed `url`.
 */
export function AssetPreview({ assetId, compact = false }: { assetId: string; compact?: boolean }) {
  const asset = useQuery({
    queryKey: ['asset', assetId],
    queryFn: () => api.assets.get(assetId),
    staleTime: 5 * 60_000,
  })
  if (asset.isPending) return <Skeleton className={compact ? 'h-24 w-32' : 'h-48 w-64'} />
  if (asset.isError)
    return (
      <p className="text-[12px] text-danger">
        Asset {assetId}: {errorMessage(asset.error)}
      </p>
    )
  const { kind, name, mime, bytes } = asset.data
  const url = assetUrl(asset.data.url)
  const Icon = kindIcons[kind] ?? FileIcon
  const caption = (
    <div className="mt-1.5 flex items-center gap-2 text-[12px] text-muted">
      <span className="truncate">{name ?? mime}</span>
      <span>·</span>
      <span>{formatBytes(bytes)}</span>
      <a
        href={url}
        download={name ?? true}
        className="ml-auto inline-flex items-center gap-1 text-accent hover:underline"
      >
        <DownloadIcon size={12} /> Download
      </a>
    </div>
  )
  return (
    <div className={compact ? 'max-w-xs' : 'max-w-lg'}>
      {kind === 'image' ? (
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          className="pb-checker block overflow-hidden rounded-md border border-border"
        >
          <img src={url} alt={name ?? 'image output'} className={compact ? 'max-h-40 w-auto' : 'max-h-96 w-auto'} />
        </a>
      ) : kind === 'video' ? (
        // biome-ignore lint/a11y/useMediaCaption: generated media has no captions to offer
        <video src={url} controls className="max-h-96 w-full rounded-md border border-border bg-black" />
      ) : kind === 'audio' ? (
        // biome-ignore lint/a11y/useMediaCaption: generated media has no captions to offer
        <audio src={url} controls className="w-full" />
      ) : (
        <div className="flex items-center gap-2 rounded-md border border-border bg-subtle px-3 py-2">
          <Icon size={16} className="text-muted" />
          <span className="truncate">{name ?? mime}</span>
        </div>
      )}
      {caption}
    </div>
  )
}

/** Any value a node took or produced: assets previewed, text as text, the rest as JSON. */
export function ValueView({ value }: { value: unknown }) {
  if (isAssetRefLike(value)) return <AssetPreview assetId={value.assetId} compact />
  if (Array.isArray(value) && value.length > 0 && value.every(isAssetRefLike)) {
    return (
      <div className="flex flex-wrap gap-3">
        {value.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: one asset may appear twice in a list
          <AssetPreview key={`${item.assetId}-${index}`} assetId={item.assetId} compact />
        ))}
      </div>
    )
  }
  if (typeof value === 'string') {
    return (
      <p className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded-md bg-subtle px-2.5 py-1.5">
        {value}
      </p>
    )
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return <code className="rounded bg-subtle px-1.5 py-0.5 font-mono text-[12px]">{String(value)}</code>
  }
  return (
    <pre className="max-h-64 overflow-auto rounded-md bg-subtle px-2.5 py-1.5 font-mono text-[12px]">
      {JSON.stringify(value, null, 2)}
    </pre>
  )
}

/** A record of named values (a node's inputs or outputs) as a definition list. */
export function ValueTable({ values }: { values: Record<string, unknown> | null | undefined }) {
  const entries = Object.entries(values ?? {})
  if (entries.length === 0) return <p className="text-[12px] text-muted">None</p>
  return (
    <dl className="flex flex-col gap-2.5">
      {entries.map(([key, value]) => (
        <div key={key} className="grid grid-cols-[140px_1fr] gap-3">
          <dt className="truncate pt-1 font-mono text-[12px] text-muted" title={key}>
            {key}
          </dt>
          <dd className="min-w-0">
            <ValueView value={value} />
          </dd>
        </div>
      ))}
    </dl>
  )
}
