import { type AnyNodeDefinition, createRegistry } from '@patchbay/core'
import { localAiNodes } from './ai-local/index.ts'
import { audioNodes } from './audio/index.ts'
import { imageNodes } from './image/index.ts'
import { inputText } from './input/text.ts'
import { logicCondition } from './logic/condition.ts'
import { audioSpeech } from './models/audio-speech.ts'
import { audioTranscribe } from './models/audio-transcribe.ts'
import { imageEdit } from './models/image-edit.ts'
import { imageGenerate } from './models/image-generate.ts'
import { llmChat } from './models/llm-chat.ts'
import { videoGenerate } from './models/video-generate.ts'
import { output } from './output/output.ts'
import { textJoin } from './text/join.ts'
import { textTemplate } from './text/template.ts'
import { utilWait } from './util/wait.ts'
import { videoNodes } from './video/index.ts'

/** Every built-in node, keyed by its type id. */
export const builtinNodes = {
  'input.text': inputText,
  'text.template': textTemplate,
  'text.join': textJoin,
  'logic.condition': logicCondition,
  'util.wait': utilWait,
  ...imageNodes,
  ...videoNodes,
  ...audioNodes,
  ...localAiNodes,
  'llm.chat': llmChat,
  'image.generate': imageGenerate,
  'image.edit': imageEdit,
  'video.generate': videoGenerate,
  'audio.speech': audioSpeech,
  'audio.transcribe': audioTranscribe,
  output,
} satisfies Record<string, AnyNodeDefinition>

/** The type id of a built-in node, e.g. `'image.crop'`. */
export type BuiltinNodeType = keyof typeof builtinNodes

/** A registry of the built-in nodes, for the engine, the validator and the canvas. */
export const builtinRegistry = createRegistry(builtinNodes)
