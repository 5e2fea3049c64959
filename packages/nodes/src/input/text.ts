import { defineNode } from '@patchbay/core'
import { z } from 'zod'

/** `input.text`: a fixed piece of text typed into the node, e.g. a prompt. */
export const inputText = defineNode({
  type: 'input.text',
  version: 1,
  category: 'input',
  title: 'Text',
  description: 'A piece of text typed into the node.',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({
    value: z.string().default('').describe('The text this node outputs.'),
  }),
  async run({ params }) {
    return { text: params.value }
  },
})
