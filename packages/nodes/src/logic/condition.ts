import { defineNode, NodeError } from '@patchbay/core'
import { z } from 'zod'

const operators = ['equals', 'contains', 'gt', 'lt', 'truthy'] as const
type Operator = (typeof operators)[number]
type Operand = string | number | boolean | undefined

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i

/**
 * `logic.condition`: routes its input to the `true` or the `false` output. Exactly one output
 * is produced, carrying the input value unchanged; the other is absent, so nodes fed only by
 * it are skipped.
 *
 * Operators (`value` is the input, `operand` the param; a *number* is a finite number or a
 * string holding a decimal numeral such as `" 42 "`, `"-1.5"` or `"1e3"`, booleans are not
 * numbers):
 * - `equals`: when both are numbers, numeric equality (`"1.0"` equals `1`); otherwise, for a
 *   text, number or boolean value, exact equality of the text forms (`true` equals `"true"`,
 *   case-sensitive). Other values (null, lists, objects) never equal.
 * - `contains`: text value: contains the operand's text (case-sensitive); list value: has an
 *   item that `equals` the operand. Any other value fails the node.
 * - `gt` / `lt`: `value > operand` / `value < operand`, numerically; fails the node when
 *   either is not a number.
 * - `truthy`: non-empty text, non-empty list, a number other than 0 (and not NaN), `true`,
 *   or any object; false for `null`. No operand. The text `"false"` is non-empty, so truthy.
 *
 * Failures are `NodeError`s with code `INVALID_CONDITION_INPUT`, not retried.
 */
export const logicCondition = defineNode({
  type: 'logic.condition',
  version: 1,
  category: 'logic',
  title: 'Condition',
  description: 'Sends the input to the "true" or the "false" output; only that branch runs.',
  inputs: { value: { type: 'any', required: true } },
  outputs: {
    true: { type: 'any', description: 'The input, when the condition holds.' },
    false: { type: 'any', description: 'The input, when it does not.' },
  },
  params: z
    .object({
      operator: z.enum(operators).default('truthy').describe('How the input is tested.'),
      operand: z
        .union([z.string(), z.number(), z.boolean()])
        .optional()
        .describe('What the input is compared with (not used by "truthy").'),
    })
    .refine((params) => params.operator === 'truthy' || params.operand !== undefined, {
      error: 'the operators equals, contains, gt and lt need an operand',
      path: ['operand'],
    }),
  async run({ inputs, params }) {
    const holds = evaluate(params.operator, inputs.value, params.operand)
    return holds ? { true: inputs.value } : { false: inputs.value }
  },
})

/** Whether the condition holds; see {@link logicCondition} for the semantics. */
export function evaluate(operator: Operator, value: unknown, operand: Operand): boolean {
  switch (operator) {
    case 'equals':
      return equals(value, operand)
    case 'contains':
      if (typeof value === 'string') return value.includes(String(operand ?? ''))
      if (Array.isArray(value)) return value.some((item) => equals(item, operand))
      throw invalid(`"contains" needs text or a list, got ${describe(value)}`)
    case 'gt':
    case 'lt': {
      const left = numeric(value, operator, 'value')
      const right = numeric(operand, operator, 'operand')
      return operator === 'gt' ? left > right : left < right
    }
    case 'truthy':
      return truthy(value)
  }
}

function equals(value: unknown, operand: Operand): boolean {
  const left = toNumber(value)
  const right = toNumber(operand)
  if (left !== undefined && right !== undefined) return left === right
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value) === String(operand)
  }
  return false
}

function truthy(value: unknown): boolean {
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  if (typeof value === 'boolean') return value
  return value !== null && value !== undefined
}

function numeric(value: unknown, operator: Operator, which: string): number {
  const number = toNumber(value)
  if (number === undefined) throw invalid(`"${operator}" compares numbers, but the ${which} is ${describe(value)}`)
  return number
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim())
  return undefined
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  const json = JSON.stringify(value) ?? String(value)
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}

function invalid(message: string): NodeError {
  return new NodeError('INVALID_CONDITION_INPUT', message)
}
