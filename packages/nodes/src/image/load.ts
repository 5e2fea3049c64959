import { type AssetRef, defineNode, type NodeContext, NodeError, PatchbayError } from '@patchbay/core'
import { displayUrl, download } from '../support/download.ts'
import { cacheableSource, fileNameOf, mediaSourceParams } from '../support/media-source.ts'
import { inspectImage } from './sharp-image.ts'

/** Larger downloads are refused before they exhaust memory. */
const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024

/**
 * `image.load`: brings an image into the workflow from a local file or an http(s) URL, through
 * `ctx.readFile` / `ctx.fetch` so the operator's file roots and network policy apply, or from
 * an asset already stored (e.g. an upload) by its id.
 *
 * The bytes must be a complete JPEG, PNG, WebP, GIF, AVIF or TIFF image; anything else (an
 * HTML error page, an empty or truncated file, SVG) fails with `INVALID_IMAGE`, not retried.
 * A missing file fails with `FILE_NOT_FOUND`, an unknown asset with `ASSET_NOT_FOUND`; HTTP
 * failures are described in {@link download}. A stored asset is passed on under its own id,
 * with the kind, MIME type and size read from its bytes.
 */
export const imageLoad = defineNode({
  type: 'image.load',
  version: 1,
  category: 'image',
  title: 'Load image',
  description: 'Loads an image from a file path, a URL or a stored asset.',
  inputs: {},
  outputs: { image: { type: 'image' } },
  params: mediaSourceParams,
  cacheable: cacheableSource,
  async run({ params, ctx }) {
    if (params.assetId !== undefined) return { image: await fromAsset(ctx, params.assetId) }
    const { bytes, source, name } =
      params.url !== undefined ? await fromUrl(ctx, params.url) : await fromFile(ctx, params.path ?? '')
    const info = await inspectImage(bytes, source)
    return { image: await ctx.assets.put(bytes, { ...info, ...(name ? { name } : {}) }) }
  },
})

/** A stored asset, checked like any loaded image; its bytes are not stored again. */
async function fromAsset(ctx: NodeContext, assetId: string): Promise<AssetRef> {
  const ref = await ctx.assets.get(assetId)
  const info = await inspectImage(await ctx.assets.read(ref), `asset ${assetId}`)
  return { ...ref, kind: 'image', ...info }
}

interface Loaded {
  bytes: Uint8Array
  /** How error messages name the image. */
  source: string
  /** File name kept with the asset for downloads. */
  name: string | undefined
}

async function fromUrl(ctx: NodeContext, url: string): Promise<Loaded> {
  const shown = displayUrl(url)
  const bytes = await download(ctx, url, MAX_DOWNLOAD_BYTES)
  return { bytes, source: shown, name: fileNameOf(new URL(url).pathname) }
}

async function fromFile(ctx: NodeContext, path: string): Promise<Loaded> {
  try {
    return { bytes: await ctx.readFile(path), source: `file ${path}`, name: fileNameOf(path) }
  } catch (error) {
    if (error instanceof PatchbayError) throw error
    const code = error instanceof Error && 'code' in error ? error.code : undefined
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NodeError('FILE_NOT_FOUND', `file ${path} does not exist`, { cause: error })
    }
    if (code === 'EISDIR')
      throw new NodeError('INVALID_IMAGE', `${path} is a directory, not an image`, { cause: error })
    if (code === 'EACCES' || code === 'EPERM') {
      throw new NodeError('FILE_NOT_READABLE', `file ${path} cannot be read (permission denied)`, { cause: error })
    }
    throw error
  }
}
