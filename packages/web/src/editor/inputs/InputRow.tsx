import { type WorkflowInput, type WorkflowInputType, workflowInputTypes } from '@patchbay/core'
import { useEffect, useRef, useState } from 'react'
import { Button, IconButton } from '../../ui/Button.tsx'
import { copyText } from '../../ui/CopyField.tsx'
import { Input, Select } from '../../ui/Input.tsx'
import { AlertIcon, CheckIcon, CopyIcon, TrashIcon } from '../../ui/icons.tsx'
import { typeColor } from '../catalog.ts'
import { useEditorStore } from '../store/index.ts'
import { DefaultEditor } from './DefaultEditor.tsx'
import { editDocument } from './edit-document.ts'
import { checkInputName, inputRef, nodesUsingInput, removeInput, updateInput } from './inputs-ops.ts'

/** One declared input: name, type, default, description, its reference and who uses it. */
export function InputRow({
  name,
  input,
  readOnly,
  autoFocus,
  onRename,
}: {
  name: string
  input: WorkflowInput
  readOnly: boolean
  autoFocus: boolean
  onRename: (from: string, to: string) => void
}) {
  const users = useEditorStore((s) => nodesUsingInput(s.document, name).join('\n'))
  const usedBy = users ? users.split('\n') : []
  const [nameText, setNameText] = useState(name)
  const [nameError, setNameError] = useState<string>()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const nameField = useRef<HTMLInputElement>(null)
  useEffect(() => setNameText(name), [name])
  useEffect(() => {
    if (autoFocus) nameField.current?.select()
  }, [autoFocus])

  function applyName() {
    const next = nameText.trim()
    if (next === name) return setNameError(undefined)
    const problem = checkInputName(useEditorStore.getState().document, next, name)
    if (problem) return setNameError(problem)
    setNameError(undefined)
    onRename(name, next)
  }

  function remove() {
    if (usedBy.length > 0 && !confirmDelete) return setConfirmDelete(true)
    editDocument((document) => removeInput(document, name))
  }

  return (
    <section
      aria-label={`Input ${name}`}
      className="rounded-md border border-border bg-bg/60 p-2.5 dark:bg-subtle/40"
      data-input-name={name}
    >
      <div className="flex items-center gap-2">
        <Input
          ref={nameField}
          aria-label="Input name"
          aria-invalid={nameError ? true : undefined}
          value={nameText}
          readOnly={readOnly}
          spellCheck={false}
          className="h-7 min-w-0 flex-1 font-medium font-mono text-[12px]"
          onChange={(event) => {
            setNameText(event.target.value)
            setNameError(undefined)
          }}
          onBlur={applyName}
          onKeyDown={(event) => {
            if (event.key === 'Enter') event.currentTarget.blur()
            if (event.key === 'Escape' && nameText !== name) {
              event.preventDefault()
              setNameText(name)
              setNameError(undefined)
            }
          }}
        />
        <Select
          aria-label="Type"
          value={input.type}
          disabled={readOnly}
          className="w-28 [&_select]:h-7 [&_select]:text-[12px]"
          onChange={(event) =>
            editDocument((document) => updateInput(document, name, { type: event.target.value as WorkflowInputType }))
          }
        >
          {workflowInputTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </Select>
        <span aria-hidden className="size-2 shrink-0 rounded-full" style={{ background: typeColor(input.type) }} />
        {!readOnly && (
          <IconButton label={`Delete input ${name}`} size="sm" className="size-7 hover:text-danger" onClick={remove}>
            <TrashIcon size={14} />
          </IconButton>
        )}
      </div>
      {nameError && <p className="mt-1 text-[12px] text-danger">{nameError}</p>}

      {confirmDelete && (
        <div role="alert" className="mt-2 rounded-md bg-warning-soft px-2.5 py-2 text-[12px]">
          <p className="flex items-start gap-1.5">
            <AlertIcon size={14} className="mt-0.5 shrink-0 text-warning" />
            <span>
              Still used by <span className="font-medium">{usedBy.join(', ')}</span>. Those params will refer to an
              input that no longer exists and the workflow will not run until they change.
            </span>
          </p>
          <div className="mt-2 flex justify-end gap-1.5">
            <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(false)}>
              Keep it
            </Button>
            <Button size="sm" variant="danger" onClick={remove}>
              Delete anyway
            </Button>
          </div>
        </div>
      )}

      <div className="mt-2 grid grid-cols-[72px_1fr] items-start gap-x-2 gap-y-1.5">
        <span className="pt-1.5 text-[12px] text-muted">Default</span>
        <DefaultEditor name={name} input={input} readOnly={readOnly} />
        <span className="pt-1.5 text-[12px] text-muted">Description</span>
        <Input
          aria-label="Description"
          value={input.description ?? ''}
          readOnly={readOnly}
          placeholder="Shown when the workflow runs"
          className="h-7 text-[12px]"
          onChange={(event) => {
            const description = event.target.value
            editDocument((document) => updateInput(document, name, { description }), `input-description:${name}`)
          }}
        />
      </div>

      <div className="mt-2 flex items-center gap-2 text-[11px] text-muted">
        <ReferenceChip name={name} />
        <span className="min-w-0 truncate" title={usedBy.join(', ')}>
          {usedBy.length === 0 ? 'Not used by any node yet' : `Used by ${usedBy.join(', ')}`}
        </span>
      </div>
    </section>
  )
}

/** `{{inputs.name}}`, copied on click, to paste into a param. */
function ReferenceChip({ name }: { name: string }) {
  const [copied, setCopied] = useState(false)
  const text = inputRef(name)
  return (
    <button
      type="button"
      title="Copy, then paste into a text param"
      className="inline-flex h-5 shrink-0 items-center gap-1 rounded border border-border bg-panel px-1.5 font-mono text-[11px] text-text hover:bg-hover"
      onClick={async () => {
        if (await copyText(text)) {
          setCopied(true)
          setTimeout(() => setCopied(false), 1200)
        }
      }}
    >
      {text}
      {copied ? <CheckIcon size={11} className="text-success" /> : <CopyIcon size={11} className="text-muted" />}
    </button>
  )
}
