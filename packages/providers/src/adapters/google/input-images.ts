import type { AssetRef } from '@patchbay/core'
import type { ProviderCall } from '../../adapter.ts'

export interface InputImage {
  bytes: Uint8Array
  mime: string
}

export function readInputImage(call: ProviderCall, ref: AssetRef): Promise<InputImage> {
  return call.readAsset(ref).then((bytes) => ({ bytes, mime: ref.mime }))
}

/** An AI SDK message part showing the image to the model. */
export function imagePart(image: InputImage) {
  return { type: 'image' as const, image: image.bytes, mediaType: image.mime }
}
