import { defineNode } from '@patchbay/core'
import { z } from 'zod'

/** `output`: marks a value as a named output of the run, and passes it through unchanged. */
export const output = defineNode({
  type: 'output',
  version: 1,
  category: 'output',
  title: 'Output',
  description: 'Makes the connected value a named output of the run.',
  inputs: { value: { type: 'any', required: true } },
  outputs: { value: { type: 'any' } },
  params: z.object({
    name: z
      .string()
      .min(1, { error: 'the output name must not be empty' })
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, { error: 'the output name may contain only letters, digits, "_" and "-"' })
      .default('result')
      .describe('Name of the run output, as the API and CLI report it.'),
  }),
  runOutput: (params) => params.name,
  async run({ inputs }) {
    return { value: inputs.value }
  },
})
