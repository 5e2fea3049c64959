import type { AnyNodeDefinition } from '@patchbay/core'
import { imageAdjust } from './adjust.ts'
import { imageBlur } from './blur.ts'
import { imageChannels } from './channels.ts'
import { imageComposite } from './composite.ts'
import { imageConvert } from './convert.ts'
import { imageCrop } from './crop.ts'
import { imageFlip } from './flip.ts'
import { imageGrayscale } from './grayscale.ts'
import { imageGrid } from './grid.ts'
import { imageInfo } from './info.ts'
import { imageInvert } from './invert.ts'
import { imageLoad } from './load.ts'
import { imageMask } from './mask.ts'
import { imageResize } from './resize.ts'
import { imageRotate } from './rotate.ts'
import { imageSharpen } from './sharpen.ts'
import { imageSplitGrid } from './split-grid.ts'
import { imageText } from './text.ts'

/** The image-processing nodes (sharp), keyed by type id. */
export const imageNodes = {
  'image.load': imageLoad,
  'image.resize': imageResize,
  'image.crop': imageCrop,
  'image.rotate': imageRotate,
  'image.flip': imageFlip,
  'image.blur': imageBlur,
  'image.sharpen': imageSharpen,
  'image.adjust': imageAdjust,
  'image.grayscale': imageGrayscale,
  'image.invert': imageInvert,
  'image.composite': imageComposite,
  'image.text': imageText,
  'image.mask': imageMask,
  'image.channels': imageChannels,
  'image.grid': imageGrid,
  'image.splitGrid': imageSplitGrid,
  'image.convert': imageConvert,
  'image.info': imageInfo,
} satisfies Record<string, AnyNodeDefinition>

export {
  imageAdjust,
  imageBlur,
  imageChannels,
  imageComposite,
  imageConvert,
  imageCrop,
  imageFlip,
  imageGrayscale,
  imageGrid,
  imageInfo,
  imageInvert,
  imageLoad,
  imageMask,
  imageResize,
  imageRotate,
  imageSharpen,
  imageSplitGrid,
  imageText,
}
