import type { AnyNodeDefinition } from '@patchbay/core'
import { imageOcr } from './ocr.ts'
import { imageRemoveBackground } from './remove-background.ts'

export type { OcrLine } from './ocr.ts'
export { imageOcr, imageRemoveBackground }

/**
 * The nodes that run local models on the CPU, offline, from optional npm packages that ship
 * their model files; each package is imported on the node's first run.
 */
export const localAiNodes = {
  'image.removeBackground': imageRemoveBackground,
  'image.ocr': imageOcr,
} satisfies Record<string, AnyNodeDefinition>
