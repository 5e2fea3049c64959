import { type AssetRef, isAssetRef, NodeError } from '@patchbay/core'

const named = { image: 'an image', video: 'a video', audio: 'audio' } as const

/** Narrows an input to a media reference of `kind`, failing clearly (`INVALID_INPUT`) when something else arrived. */
export function requireMedia(value: unknown, kind: 'video' | 'audio' | 'image', input: string): AssetRef {
  if (!isAssetRef(value) || value.kind !== kind) {
    throw new NodeError(
      'INVALID_INPUT',
      `input "${input}" must be ${named[kind]}, got ${isAssetRef(value) ? value.kind : typeof value}`,
    )
  }
  return value
}
