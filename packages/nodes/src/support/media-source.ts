import { z } from 'zod'

/** The params of the `*.load` nodes: exactly one of a local path, a URL or a stored asset. */
export const mediaSourceParams = z
  .object({
    path: z.string().min(1).optional().describe('A local file, relative to the working directory.'),
    url: z.string().min(1).optional().describe('An http or https URL.'),
    assetId: z.string().min(1).optional().describe('The id of an asset already stored, e.g. an upload.'),
  })
  .refine((params) => [params.path, params.url, params.assetId].filter((source) => source !== undefined).length === 1, {
    error: 'set exactly one of "path", "url" or "assetId"',
  })

/** The last segment of a path or URL path, percent-decoded: the name kept with a loaded file. */
export function fileNameOf(path: string): string | undefined {
  const segment = path.split(/[\\/]/).pop()
  if (!segment) return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * Whether a load node's result may come from the cache: a file or URL can change between
 * runs without its params changing, a stored asset cannot. Loading again costs little: the
 * asset store keeps one copy per content, so unchanged bytes give the same reference and
 * every node after the load is still answered from the cache.
 */
export function cacheableSource(params: { assetId?: string | undefined }): boolean {
  return params.assetId !== undefined
}
