import type { AssetRef } from '@patchbay/core'
import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { api } from '../../app/api.ts'
import { formatBytes } from '../../app/format.ts'
import { Button } from '../../ui/Button.tsx'
import { cx } from '../../ui/cx.ts'
import { Dialog } from '../../ui/Dialog.tsx'
import { ChevronLeftIcon, ChevronRightIcon, ExternalIcon, FileIcon } from '../../ui/icons.tsx'
import { Skeleton } from '../../ui/Spinner.tsx'

/**
 * An asset's signed links (`url`, `thumbnailUrl`), cached per asset. The links expire, so they
 * are read again after a few minutes rather than kept forever.
 */
export function useAsset(assetId: string) {
  return useQuery(assetQuery(assetId))
}

function assetQuery(assetId: string) {
  return {
    queryKey: ['assets', 'detail', assetId],
    queryFn: async () => {
      const asset = await api.assets.get(assetId)
      return {
        ...asset,
        url: sameOriginUrl(asset.url),
        ...(asset.thumbnailUrl ? { thumbnailUrl: sameOriginUrl(asset.thumbnailUrl) } : {}),
      }
    },
    staleTime: 5 * 60_000,
  }
}

/**
 * The server signs links with its own origin, and serves them with
 * `Cross-Origin-Resource-Policy: same-origin`. Behind a dev proxy (Vite on another port) that
 * origin differs from the page's and the browser refuses the bytes, so links to the API itself
 * are made relative to the page. Other links (an object store's) are left alone.
 */
function sameOriginUrl(url: string): string {
  try {
    const parsed = new URL(url, window.location.href)
    if (parsed.origin === window.location.origin || !parsed.pathname.startsWith('/api/v1/assets/')) return url
    return `${parsed.pathname}${parsed.search}`
  } catch {
    return url
  }
}

/** One asset output, compact: image thumbnail (click for full size), video or audio player, file link. */
export function AssetPreview({ asset }: { asset: AssetRef }) {
  const [open, setOpen] = useState(false)
  if (asset.kind === 'image') {
    return (
      <>
        <button
          type="button"
          className="nodrag block w-full cursor-zoom-in overflow-hidden rounded border border-border"
          onClick={() => setOpen(true)}
          title="Open full size"
        >
          <Thumbnail asset={asset} fit="contain" className="max-h-40 w-full" />
        </button>
        <AssetViewer assets={[asset]} index={open ? 0 : null} onIndex={(index) => setOpen(index !== null)} />
      </>
    )
  }
  if (asset.kind === 'video') return <VideoPlayer asset={asset} />
  if (asset.kind === 'audio') return <AudioPlayer asset={asset} />
  return <FileLink asset={asset} />
}

/** Several assets as a small grid of thumbnails; a click opens the viewer on that one. */
export function AssetGrid({ assets }: { assets: AssetRef[] }) {
  const [index, setIndex] = useState<number | null>(null)
  const shown = assets.slice(0, 9)
  return (
    <>
      <div className="grid grid-cols-3 gap-1">
        {shown.map((asset, i) => (
          <button
            type="button"
            // biome-ignore lint/suspicious/noArrayIndexKey: the same asset may appear twice in a list
            key={`${asset.assetId}-${i}`}
            className="nodrag relative aspect-square cursor-zoom-in overflow-hidden rounded border border-border"
            onClick={() => setIndex(i)}
            title={`${asset.kind} ${i + 1} of ${assets.length}`}
          >
            <Thumbnail asset={asset} fit="cover" className="size-full" />
            {i === shown.length - 1 && assets.length > shown.length && (
              <span className="absolute inset-0 flex items-center justify-center bg-black/50 font-medium text-white">
                +{assets.length - shown.length}
              </span>
            )}
          </button>
        ))}
      </div>
      <AssetViewer assets={assets} index={index} onIndex={setIndex} />
    </>
  )
}

function Thumbnail({ asset, fit, className }: { asset: AssetRef; fit: 'cover' | 'contain'; className?: string }) {
  const { data, isError } = useAsset(asset.assetId)
  // Reserve the image's own shape before it loads so the card does not jump.
  const aspectRatio = asset.width && asset.height ? `${asset.width} / ${asset.height}` : '4 / 3'
  const style = fit === 'contain' ? { aspectRatio } : undefined
  if (isError) {
    return (
      <div style={style} className={cx('flex items-center justify-center bg-subtle text-muted text-xs', className)}>
        unavailable
      </div>
    )
  }
  if (!data) return <Skeleton className={cx('rounded-none', className)} />
  if (asset.kind !== 'image' && !data.thumbnailUrl) {
    return (
      <div style={style} className={cx('flex items-center justify-center bg-subtle text-muted text-xs', className)}>
        {asset.kind}
      </div>
    )
  }
  return (
    <div style={style} className={cx('pb-checker', className)}>
      <img
        src={data.thumbnailUrl ?? data.url}
        alt=""
        loading="lazy"
        draggable={false}
        className={cx('size-full', fit === 'cover' ? 'object-cover' : 'object-contain')}
      />
    </div>
  )
}

function VideoPlayer({ asset }: { asset: AssetRef }) {
  const { data, isError } = useAsset(asset.assetId)
  const aspectRatio = asset.width && asset.height ? `${asset.width} / ${asset.height}` : '16 / 9'
  if (!data) {
    return isError ? <Unavailable /> : <Skeleton className="max-h-40 w-full" />
  }
  return (
    // biome-ignore lint/a11y/useMediaCaption: generated media has no captions
    <video
      src={data.url}
      poster={data.thumbnailUrl}
      controls
      preload="metadata"
      style={{ aspectRatio }}
      className="nodrag max-h-40 w-full rounded bg-black"
    />
  )
}

function AudioPlayer({ asset }: { asset: AssetRef }) {
  const { data, isError } = useAsset(asset.assetId)
  if (!data) return isError ? <Unavailable /> : <Skeleton className="h-8 w-full" />
  // biome-ignore lint/a11y/useMediaCaption: generated media has no captions
  return <audio src={data.url} controls preload="metadata" className="nodrag h-8 w-full" />
}

function FileLink({ asset }: { asset: AssetRef }) {
  const { data } = useAsset(asset.assetId)
  return (
    <a
      href={data?.url}
      target="_blank"
      rel="noopener noreferrer"
      className="nodrag flex items-center gap-1.5 rounded border border-border px-1.5 py-1 hover:bg-hover"
    >
      <FileIcon size={14} className="shrink-0 text-muted" />
      <span className="truncate">{data?.name ?? asset.mime}</span>
      <span className="ml-auto shrink-0 text-muted">{formatBytes(asset.bytes)}</span>
    </a>
  )
}

function Unavailable() {
  return <div className="rounded bg-subtle px-1.5 py-1 text-muted">asset unavailable</div>
}

/**
 * The full-size viewer of a list of assets; `index` null means closed. Arrow keys (and the
 * buttons) step through the list.
 */
export function AssetViewer({
  assets,
  index,
  onIndex,
}: {
  assets: AssetRef[]
  index: number | null
  onIndex: (index: number | null) => void
}) {
  const asset = index === null ? undefined : assets[index]
  const { data } = useQuery({ ...assetQuery(asset?.assetId ?? ''), enabled: asset !== undefined })
  const step = (delta: number) => {
    if (index === null || assets.length < 2) return
    onIndex((index + delta + assets.length) % assets.length)
  }
  const size = asset?.width && asset.height ? `${asset.width}×${asset.height}` : null
  let body: ReactNode = <Skeleton className="h-[60vh] w-full" />
  if (asset && data) {
    if (asset.kind === 'image') {
      body = <img src={data.url} alt="" className="mx-auto max-h-[70vh] max-w-full object-contain" />
    } else if (asset.kind === 'video') {
      // biome-ignore lint/a11y/useMediaCaption: generated media has no captions
      body = <video src={data.url} controls autoPlay className="mx-auto max-h-[70vh] max-w-full" />
    } else if (asset.kind === 'audio') {
      // biome-ignore lint/a11y/useMediaCaption: generated media has no captions
      body = <audio src={data.url} controls autoPlay className="w-full" />
    } else body = <FileLink asset={asset} />
  }
  return (
    // React events bubble out of portals along the component tree: keep clicks and keys in the
    // dialog from reaching the node card (selection, dragging, canvas shortcuts).
    // biome-ignore lint/a11y/noStaticElementInteractions: only stops propagation
    <div
      className="contents"
      onClick={(event) => event.stopPropagation()}
      onPointerDown={(event) => event.stopPropagation()}
      onDoubleClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => {
        event.stopPropagation()
        if (event.key === 'ArrowLeft') step(-1)
        if (event.key === 'ArrowRight') step(1)
      }}
    >
      <Dialog
        open={asset !== undefined}
        onClose={() => onIndex(null)}
        size="xl"
        title={assets.length > 1 && index !== null ? `${asset?.kind} ${index + 1} of ${assets.length}` : asset?.kind}
        description={[size, asset?.mime, asset ? formatBytes(asset.bytes) : null].filter(Boolean).join(' · ')}
        footer={
          <>
            {assets.length > 1 && (
              <>
                <Button size="sm" icon={<ChevronLeftIcon size={14} />} onClick={() => step(-1)}>
                  Previous
                </Button>
                <Button size="sm" onClick={() => step(1)}>
                  Next <ChevronRightIcon size={14} />
                </Button>
              </>
            )}
            {data && (
              <a
                href={data.url}
                target="_blank"
                rel="noopener noreferrer"
                className="inline-flex h-7 items-center gap-1.5 rounded-md border border-border px-2.5 text-[12px] hover:bg-hover"
              >
                <ExternalIcon size={14} /> Open original
              </a>
            )}
          </>
        }
      >
        <div className="pb-checker flex min-h-40 items-center justify-center overflow-hidden rounded">{body}</div>
      </Dialog>
    </div>
  )
}
