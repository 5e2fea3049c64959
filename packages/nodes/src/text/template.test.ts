import { describe, expect, it } from 'vitest'
import { runNode } from '../testing/test-context.ts'
import { textTemplate } from './template.ts'

describe('text.template', () => {
  it('replaces every {{text}}, with or without inner spaces', async () => {
    const out = await runNode(textTemplate, {
      params: { template: 'A {{text}}; again {{ text }}.' },
      inputs: { text: 'mug' },
    })
    expect(out).toEqual({ text: 'A mug; again mug.' })
  })

  it('uses empty text when the input is not connected', async () => {
    expect(await runNode(textTemplate, { params: { template: '[{{text}}]' } })).toEqual({ text: '[]' })
  })

  it('leaves other {{…}} untouched', async () => {
    const out = await runNode(textTemplate, {
      params: { template: '{{inputs.topic}} {{text}} {{texts}} {{ other }}' },
      inputs: { text: 'x' },
    })
    expect(out.text).toBe('{{inputs.topic}} x {{texts}} {{ other }}')
  })

  it('inserts the input literally, even with $ patterns', async () => {
    const out = await runNode(textTemplate, { params: { template: '<{{text}}>' }, inputs: { text: "$& $1 $$ $'" } })
    expect(out.text).toBe("<$& $1 $$ $'>")
  })

  it('defaults the template to the input alone', async () => {
    expect(await runNode(textTemplate, { inputs: { text: 'same' } })).toEqual({ text: 'same' })
  })
})
