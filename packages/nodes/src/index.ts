export type { OcrLine } from './ai-local/index.ts'
export { imageOcr, imageRemoveBackground, localAiNodes } from './ai-local/index.ts'
export type { AudioInfo } from './audio/index.ts'
export { audioConcat, audioConvert, audioInfo, audioLoad, audioMix, audioNodes, audioTrim } from './audio/index.ts'
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
  imageNodes,
  imageResize,
  imageRotate,
  imageSharpen,
  imageSplitGrid,
  imageText,
} from './image/index.ts'
export { inputText } from './input/text.ts'
export { logicCondition } from './logic/condition.ts'
export { audioSpeech } from './models/audio-speech.ts'
export { audioTranscribe } from './models/audio-transcribe.ts'
export { imageEdit } from './models/image-edit.ts'
export { imageGenerate } from './models/image-generate.ts'
export { llmChat } from './models/llm-chat.ts'
export { videoGenerate } from './models/video-generate.ts'
export { output } from './output/output.ts'
export type { BuiltinNodeType } from './registry.ts'
export { builtinNodes, builtinRegistry } from './registry.ts'
export { textJoin } from './text/join.ts'
export { textTemplate } from './text/template.ts'
export { utilWait } from './util/wait.ts'
export {
  videoAddAudio,
  videoConcat,
  videoCrop,
  videoExtractFrame,
  videoFromImages,
  videoInfo,
  videoLoad,
  videoNodes,
  videoResize,
  videoSpeed,
  videoToFrames,
  videoToGif,
  videoTrim,
} from './video/index.ts'
