import { defineNode } from '@patchbay/core'
import { z } from 'zod'
import { toText } from '../support/to-text.ts'

/** `text.join`: concatenates every connected text, in edge order, with a separator between them. */
export const textJoin = defineNode({
  type: 'text.join',
  version: 1,
  category: 'text',
  title: 'Join text',
  description: 'Joins the connected texts, in the order of their connections.',
  inputs: {
    texts: { type: 'text', required: true, multiple: true, description: 'Texts to join, in edge order.' },
  },
  outputs: { text: { type: 'text' } },
  params: z.object({
    separator: z.string().default('\n').describe('Placed between consecutive texts.'),
  }),
  async run({ inputs, params }) {
    return { text: inputs.texts.map(toText).join(params.separator) }
  },
})
