import type { AssetRef, MediaKind } from './data-types.ts'

/** What a node says about bytes it stores; the store computes size and hash itself. */
export interface AssetInput {
  mime: string
  kind?: MediaKind
  width?: number
  height?: number
  durationMs?: number
  /** Original file name, kept for downloads. */
  name?: string
}

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array>

/** The asset API a node sees through `ctx.assets`: bytes in and out by reference. */
export interface NodeAssets {
  /** Stores bytes (streamed when given an iterable) and returns their reference. */
  put(data: ByteSource, meta: AssetInput): Promise<AssetRef>
  read(ref: AssetRef): Promise<Uint8Array>
  stream(ref: AssetRef): AsyncIterable<Uint8Array>
  /** A file on local disk holding the bytes, for tools such as ffmpeg that want paths. */
  localPath(ref: AssetRef): Promise<string>
  /** The organisation's asset with this id; a NodeError `ASSET_NOT_FOUND` when there is none. */
  get(assetId: string): Promise<AssetRef>
}

/** Infers the media kind from a MIME type. */
export function kindFromMime(mime: string): MediaKind {
  const top = mime.split('/')[0]
  if (top === 'image' || top === 'video' || top === 'audio') return top
  return 'file'
}
