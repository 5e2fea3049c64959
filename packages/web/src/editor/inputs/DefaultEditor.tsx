import type { WorkflowInput } from '@patchbay/core'
import { useEffect, useState } from 'react'
import { Input, Select, Textarea } from '../../ui/Input.tsx'
import { editDocument } from './edit-document.ts'
import { textToValue, updateInput, valueToText } from './inputs-ops.ts'

/** The input's default, edited with a control that fits its type; text that does not parse is kept, not saved. */
export function DefaultEditor({ name, input, readOnly }: { name: string; input: WorkflowInput; readOnly: boolean }) {
  const [text, setText] = useState(() => valueToText(input.type, input.default))
  const [error, setError] = useState<string>()
  const key = `input-default:${name}`

  // Follow the document (undo, a type change) unless the field already says the same thing.
  useEffect(() => {
    setText((current) => {
      const parsed = current.trim() === '' ? undefined : textToValue(input.type, current)
      const same =
        parsed === undefined ? input.default === undefined : parsed.ok && sameValue(parsed.value, input.default)
      return same ? current : valueToText(input.type, input.default)
    })
    setError(undefined)
  }, [input.type, input.default])

  if (input.type === 'boolean') {
    return (
      <Select
        aria-label="Default"
        value={input.default === undefined ? '' : String(input.default)}
        disabled={readOnly}
        className="w-32 [&_select]:h-7 [&_select]:text-[12px]"
        onChange={(event) => {
          const value = event.target.value === '' ? undefined : event.target.value === 'true'
          editDocument((document) => updateInput(document, name, { default: value }))
        }}
      >
        <option value="">No default</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </Select>
    )
  }

  if (input.type === 'text') {
    return (
      <Input
        aria-label="Default"
        value={typeof input.default === 'string' ? input.default : ''}
        readOnly={readOnly}
        placeholder="Empty"
        className="h-7 text-[12px]"
        onChange={(event) => {
          const value = event.target.value
          editDocument((document) => updateInput(document, name, { default: value }), key)
        }}
      />
    )
  }

  function change(next: string) {
    setText(next)
    if (next.trim() === '') {
      setError(undefined)
      editDocument((document) => updateInput(document, name, { default: undefined }), key)
      return
    }
    const parsed = textToValue(input.type, next)
    if (!parsed.ok) return setError(parsed.error)
    setError(undefined)
    editDocument((document) => updateInput(document, name, { default: parsed.value }), key)
  }

  const field =
    input.type === 'json' ? (
      <Textarea
        aria-label="Default"
        aria-invalid={error ? true : undefined}
        value={text}
        readOnly={readOnly}
        spellCheck={false}
        placeholder='No default, e.g. {"size": 2}'
        className="min-h-14 font-mono text-[12px]"
        onChange={(event) => change(event.target.value)}
      />
    ) : (
      <Input
        aria-label="Default"
        aria-invalid={error ? true : undefined}
        type="number"
        step="any"
        value={text}
        readOnly={readOnly}
        placeholder="No default"
        className="h-7 w-32 text-[12px] tabular-nums"
        onChange={(event) => change(event.target.value)}
      />
    )
  return (
    <div className="flex flex-col gap-1">
      {field}
      {error && <p className="text-[11px] text-danger">{error} — not saved yet</p>}
    </div>
  )
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))
}
