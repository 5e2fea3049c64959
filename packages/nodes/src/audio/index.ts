import type { AnyNodeDefinition } from '@patchbay/core'
import { audioConcat } from './concat.ts'
import { audioConvert } from './convert.ts'
import { audioInfo } from './info.ts'
import { audioLoad } from './load.ts'
import { audioMix } from './mix.ts'
import { audioTrim } from './trim.ts'

export type { AudioInfo } from './info.ts'
export { audioConcat, audioConvert, audioInfo, audioLoad, audioMix, audioTrim }

/** The ffmpeg audio nodes, keyed by type id. */
export const audioNodes = {
  'audio.load': audioLoad,
  'audio.trim': audioTrim,
  'audio.concat': audioConcat,
  'audio.mix': audioMix,
  'audio.convert': audioConvert,
  'audio.info': audioInfo,
} satisfies Record<string, AnyNodeDefinition>
