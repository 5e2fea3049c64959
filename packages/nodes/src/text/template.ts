import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { toText } from '../support/to-text.ts'

const TEXT_SLOT = /\{\{\s*text\s*\}\}/g

/**
 * `text.template`: fills `{{text}}` slots of a template with the connected `text` input.
 *
 * Every `{{text}}` (spaces inside the braces allowed) becomes the input, or `''` when the
 * input is not connected. Any other `{{…}}` is left as it is: workflow references such as
 * `{{inputs.topic}}` are substituted by the engine before the node runs.
 */
export const textTemplate = defineNode({
  type: 'text.template',
  version: 1,
  category: 'text',
  title: 'Template',
  description: 'Builds text from a template; {{text}} is replaced by the connected input.',
  inputs: { text: { type: 'text', description: 'Replaces every {{text}} in the template.' } },
  outputs: { text: { type: 'text' } },
  params: z.object({
    template: z
      .string()
      .default('{{text}}')
      .describe('The text to produce. {{text}} stands for the input; {{inputs.name}} for a workflow input.'),
  }),
  async run({ inputs, params }) {
    const text = toText(inputs.text)
    // A replacer function, so `$&` and friends in the input are inserted literally.
    return { text: params.template.replace(TEXT_SLOT, () => text) }
  },
})
