import type { AnyNodeDefinition } from '@patchbay/core'
import { videoAddAudio } from './add-audio.ts'
import { videoConcat } from './concat.ts'
import { videoCrop } from './crop.ts'
import { videoExtractFrame } from './extract-frame.ts'
import { videoFromImages } from './from-images.ts'
import { videoInfo } from './info.ts'
import { videoLoad } from './load.ts'
import { videoResize } from './resize.ts'
import { videoSpeed } from './speed.ts'
import { videoToFrames } from './to-frames.ts'
import { videoToGif } from './to-gif.ts'
import { videoTrim } from './trim.ts'

/** The ffmpeg-backed video nodes, keyed by type id. */
export const videoNodes = {
  'video.load': videoLoad,
  'video.info': videoInfo,
  'video.extractFrame': videoExtractFrame,
  'video.trim': videoTrim,
  'video.crop': videoCrop,
  'video.resize': videoResize,
  'video.concat': videoConcat,
  'video.speed': videoSpeed,
  'video.addAudio': videoAddAudio,
  'video.fromImages': videoFromImages,
  'video.toFrames': videoToFrames,
  'video.toGif': videoToGif,
} satisfies Record<string, AnyNodeDefinition>

export {
  videoAddAudio,
  videoConcat,
  videoCrop,
  videoExtractFrame,
  videoFromImages,
  videoInfo,
  videoLoad,
  videoResize,
  videoSpeed,
  videoToFrames,
  videoToGif,
  videoTrim,
}
