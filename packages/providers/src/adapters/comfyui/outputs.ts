import type { MediaSource } from '../../adapter.ts'
import { ProviderJobError } from '../../http.ts'
import type { HistoryEntry } from './api.ts'

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
}

/**
 * The saved images of a finished prompt as `/view` URLs for the gateway to download.
 * Previews (`type: temp`) count only when nothing was saved.
 */
export function outputImages(baseURL: string, entry: HistoryEntry): MediaSource[] {
  const images = Object.values(entry.outputs ?? {}).flatMap((output) => output.images ?? [])
  const saved = images.filter((image) => image.type === 'output')
  const chosen = saved.length > 0 ? saved : images
  if (chosen.length === 0) throw new ProviderJobError('ComfyUI finished without any image output')
  return chosen.map((image) => {
    const query = new URLSearchParams({ filename: image.filename, subfolder: image.subfolder, type: image.type })
    const extension = image.filename.split('.').pop()?.toLowerCase() ?? ''
    return { url: `${baseURL}/view?${query}`, mime: mimeByExtension[extension] ?? 'image/png' }
  })
}
