import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type AssetRef, isAssetRef } from '@patchbay/core'
import type { AssetStore } from '@patchbay/storage'

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/tiff': 'tiff',
  'image/svg+xml': 'svg',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'video/quicktime': 'mov',
  'video/x-matroska': 'mkv',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/vnd.wave': 'wav',
  'audio/ogg': 'ogg',
  'audio/opus': 'opus',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/webm': 'weba',
  'application/json': 'json',
  'text/plain': 'txt',
}

export interface WrittenFile {
  output: string
  path: string
  ref: AssetRef
}

/**
 * Writes every media value among the run's named outputs into `dir` as `<name>.<ext>`
 * (`<name>-<n>.<ext>` for lists), plus `outputs.json` with all outputs, media replaced by
 * their file names.
 */
export async function writeOutputs(
  dir: string,
  outputs: Record<string, unknown>,
  assets: AssetStore,
): Promise<WrittenFile[]> {
  await mkdir(dir, { recursive: true })
  const written: WrittenFile[] = []
  const save = async (name: string, ref: AssetRef): Promise<string> => {
    const file = `${name}.${extensions[ref.mime] ?? 'bin'}`
    const path = join(dir, file)
    // Streamed: a video output may be far larger than memory.
    await pipeline(Readable.from(assets.stream(ref.sha256)), createWriteStream(path))
    written.push({ output: name, path, ref })
    return file
  }
  const summary: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(outputs)) {
    const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_')
    if (isAssetRef(value)) summary[name] = { file: await save(safe, value), ...value }
    else if (Array.isArray(value) && value.length > 0 && value.every(isAssetRef)) {
      const files: unknown[] = []
      for (const [index, ref] of value.entries()) files.push({ file: await save(`${safe}-${index + 1}`, ref), ...ref })
      summary[name] = files
    } else summary[name] = value
  }
  await writeFile(join(dir, 'outputs.json'), `${JSON.stringify(summary, null, 2)}\n`)
  return written
}
