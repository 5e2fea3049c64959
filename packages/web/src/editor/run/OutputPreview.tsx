import { isAssetRef } from '@patchbay/core'
import { useEffect, useRef } from 'react'
import { cx } from '../../ui/cx.ts'
import { AssetGrid, AssetPreview } from './AssetPreview.tsx'
import { JsonView } from './JsonView.tsx'
import { Markdown } from './Markdown.tsx'

/**
 * A node's outputs, compact enough for a ~260 px card: media as previews, text as markdown,
 * JSON as a collapsible tree. While `streaming`, `partialText` (the reply so far) is shown instead.
 */
export function OutputPreview({
  outputs,
  partialText,
  streaming = false,
  labelled = false,
}: {
  outputs: Record<string, unknown> | null
  partialText?: string | null
  streaming?: boolean
  /** Names every value, even a single one (detail lists); by default only when there are several. */
  labelled?: boolean
}) {
  if (streaming && partialText) return <TextBlock text={partialText} streaming />
  if (!outputs) return null
  const entries = Object.entries(outputs)
  if (entries.length === 0) return null
  // Nodes often offer the same media twice (`image` and `images`): preview it once.
  const shownBy = new Map<string, string>()
  return (
    <div className="flex flex-col gap-1.5">
      {entries.map(([handle, value]) => {
        const ids = assetIds(value)
        const repeatOf = ids.length > 0 && ids.every((id) => shownBy.has(id)) ? shownBy.get(ids[0]!) : undefined
        for (const id of ids) if (!shownBy.has(id)) shownBy.set(id, handle)
        if (repeatOf !== undefined) {
          return (
            <div key={handle} className="text-[10px] text-muted">
              <span className="uppercase tracking-wide">{handle}</span>: same as {repeatOf}
            </div>
          )
        }
        return (
          <div key={handle} className="min-w-0">
            {(labelled || entries.length > 1) && (
              <div className="mb-0.5 text-[10px] text-muted uppercase tracking-wide">{handle}</div>
            )}
            <OutputValue value={value} />
          </div>
        )
      })}
    </div>
  )
}

function assetIds(value: unknown): string[] {
  if (isAssetRef(value)) return [value.assetId]
  if (Array.isArray(value) && value.length > 0 && value.every(isAssetRef)) return value.map((item) => item.assetId)
  return []
}

/** One output value, shown by its kind. */
export function OutputValue({ value }: { value: unknown }) {
  if (isAssetRef(value)) return <AssetPreview asset={value} />
  if (Array.isArray(value) && value.length > 0 && value.every(isAssetRef)) {
    return value.length === 1 ? <AssetPreview asset={value[0]!} /> : <AssetGrid assets={value} />
  }
  if (typeof value === 'string') {
    return value === '' ? <span className="text-muted italic">empty text</span> : <TextBlock text={value} />
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return <span className="font-mono tabular-nums">{String(value)}</span>
  }
  if (value === null || value === undefined) return <span className="text-muted">—</span>
  return (
    <div className="nodrag nowheel max-h-48 cursor-text select-text overflow-auto rounded bg-subtle p-1.5">
      <JsonView value={value} />
    </div>
  )
}

/** Markdown in a scroll box of fixed maximum height; while streaming, it sticks to the bottom. */
function TextBlock({ text, streaming = false }: { text: string; streaming?: boolean }) {
  const box = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever the text grows
  useEffect(() => {
    const node = box.current
    if (node && streaming && pinned.current) node.scrollTop = node.scrollHeight
  }, [text, streaming])
  return (
    <div
      ref={box}
      onScroll={(event) => {
        const node = event.currentTarget
        pinned.current = node.scrollHeight - node.scrollTop - node.clientHeight < 24
      }}
      className={cx(
        'nodrag nowheel max-h-40 cursor-text select-text overflow-y-auto rounded bg-subtle px-1.5 py-1 text-[12px] leading-[1.45]',
      )}
    >
      <Markdown text={text} streaming={streaming} />
    </div>
  )
}
