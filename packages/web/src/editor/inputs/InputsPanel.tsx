import { type Workflow, type WorkflowInput, type WorkflowInputType, workflowInputTypes } from '@patchbay/core'
import { useEffect, useRef, useState } from 'react'
import { Button, IconButton } from '../../ui/Button.tsx'
import { copyText } from '../../ui/CopyField.tsx'
import { Input, Select, Textarea } from '../../ui/Input.tsx'
import { AlertIcon, BracesIcon, CheckIcon, CloseIcon, CopyIcon, PlusIcon, TrashIcon } from '../../ui/icons.tsx'
import { typeColor } from '../catalog.ts'
import { useEditorStore } from '../store/index.ts'
import {
  addInput,
  checkInputName,
  inputRef,
  newInputName,
  nodesUsingInput,
  removeInput,
  renameInput,
  textToValue,
  updateInput,
  valueToText,
} from './inputs-ops.ts'

const edit = (recipe: (document: Workflow) => Workflow, coalesce?: string) =>
  useEditorStore.getState().edit(recipe, coalesce ? { coalesce } : undefined)

/**
 * The top bar's "Inputs" button: opens the {@link InputsPanel} under it. The count shows how
 * many inputs the workflow declares.
 */
export function InputsButton() {
  const count = useEditorStore((s) => Object.keys(s.document.inputs).length)
  const [open, setOpen] = useState(false)
  const wrapper = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    if (!open) return
    function onPointer(event: PointerEvent) {
      if (wrapper.current?.contains(event.target as Node)) return
      blurWithin(wrapper.current)
      setOpen(false)
    }
    document.addEventListener('pointerdown', onPointer)
    return () => document.removeEventListener('pointerdown', onPointer)
  }, [open])

  const close = () => {
    blurWithin(wrapper.current)
    setOpen(false)
    button.current?.focus()
  }

  return (
    <div ref={wrapper} className="relative">
      <Button
        ref={button}
        variant="ghost"
        size="sm"
        icon={<BracesIcon size={14} />}
        aria-expanded={open}
        aria-haspopup="dialog"
        title="Values the workflow asks for when it runs, used in params as {{inputs.name}}"
        onClick={() => setOpen((o) => !o)}
      >
        Inputs
        {count > 0 && (
          <span className="min-w-4 rounded-full bg-subtle px-1 text-center text-[11px] text-muted tabular-nums">
            {count}
          </span>
        )}
      </Button>
      {open && <InputsPanel onClose={close} />}
    </div>
  )
}

/**
 * The workflow's declared inputs: add, rename (references in params follow), change type,
 * default and description, delete. Every change is an undoable edit of the document.
 */
export function InputsPanel({ onClose }: { onClose: () => void }) {
  const inputs = useEditorStore((s) => s.document.inputs)
  const readOnly = useEditorStore((s) => s.readOnly)
  const [fresh, setFresh] = useState<string | null>(null)
  // Rows keep their key (and their half-typed text) across renames.
  const keys = useRef(new Map<string, string>())
  const keyOf = (name: string) => {
    let key = keys.current.get(name)
    if (!key) {
      key = `row-${keys.current.size}-${name}`
      keys.current.set(name, key)
    }
    return key
  }
  const names = Object.keys(inputs)

  function add() {
    const name = newInputName(useEditorStore.getState().document)
    edit((document) => addInput(document, name))
    setFresh(name)
  }

  function rename(from: string, to: string) {
    const key = keys.current.get(from)
    if (key) keys.current.set(to, key)
    edit((document) => renameInput(document, from, to))
  }

  return (
    <div
      role="dialog"
      aria-label="Workflow inputs"
      className="pb-pop absolute top-full right-0 z-30 mt-2 flex max-h-[calc(100vh-5rem)] w-[460px] flex-col rounded-lg border border-border bg-panel text-text shadow-pop"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) {
          event.stopPropagation()
          onClose()
        }
      }}
    >
      <div className="flex items-start gap-3 border-border border-b px-4 pt-3 pb-2.5">
        <div className="min-w-0 flex-1">
          <h2 className="font-semibold text-[13px]">Workflow inputs</h2>
          <p className="mt-0.5 text-[12px] text-muted">
            Asked for each time the workflow runs. Use one in any text param as{' '}
            <code className="rounded bg-subtle px-1 font-mono text-[11px] text-text">{'{{inputs.name}}'}</code>.
          </p>
        </div>
        <IconButton label="Close" size="sm" className="-mr-1.5 size-6" onClick={onClose}>
          <CloseIcon size={14} />
        </IconButton>
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-2 overflow-y-auto p-3">
        {names.length === 0 ? (
          <div className="flex flex-col items-center gap-1 rounded-md border border-border border-dashed px-4 py-6 text-center">
            <BracesIcon size={18} className="text-muted" />
            <p className="font-medium">No inputs yet</p>
            <p className="max-w-72 text-[12px] text-muted">
              Add one to ask for a topic, a count or a switch when the workflow runs, instead of editing params.
            </p>
          </div>
        ) : (
          names.map((name) => (
            <InputRow
              key={keyOf(name)}
              name={name}
              input={inputs[name]!}
              readOnly={readOnly}
              autoFocus={name === fresh}
              onRename={rename}
            />
          ))
        )}
      </div>
      {!readOnly && (
        <div className="border-border border-t px-3 py-2.5">
          <Button size="sm" icon={<PlusIcon size={14} />} onClick={add}>
            Add input
          </Button>
        </div>
      )}
    </div>
  )
}

function InputRow({
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
    edit((document) => removeInput(document, name))
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
            edit((document) => updateInput(document, name, { type: event.target.value as WorkflowInputType }))
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
            edit((document) => updateInput(document, name, { description }), `input-description:${name}`)
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

/** The input's default, edited with a control that fits its type; text that does not parse is kept, not saved. */
function DefaultEditor({ name, input, readOnly }: { name: string; input: WorkflowInput; readOnly: boolean }) {
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
          edit((document) => updateInput(document, name, { default: value }))
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
          edit((document) => updateInput(document, name, { default: value }), key)
        }}
      />
    )
  }

  function change(next: string) {
    setText(next)
    if (next.trim() === '') {
      setError(undefined)
      edit((document) => updateInput(document, name, { default: undefined }), key)
      return
    }
    const parsed = textToValue(input.type, next)
    if (!parsed.ok) return setError(parsed.error)
    setError(undefined)
    edit((document) => updateInput(document, name, { default: parsed.value }), key)
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

/** Applies a half-typed field before the panel goes (a name applies when its field loses focus). */
function blurWithin(node: HTMLElement | null) {
  const active = document.activeElement
  if (active instanceof HTMLElement && node?.contains(active)) active.blur()
}

function sameValue(a: unknown, b: unknown): boolean {
  return Object.is(a, b) || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))
}
