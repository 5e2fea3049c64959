import type { WorkflowInput } from '@patchbay/core'
import type { StartRunRequest } from '@patchbay/sdk'
import { type FormEvent, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { FormDialog } from '../../ui/Dialog.tsx'
import { Field, Input, Textarea } from '../../ui/Input.tsx'
import { AlertIcon } from '../../ui/icons.tsx'
import { useRunStore } from '../run/index.ts'
import { useEditorStore } from '../store/index.ts'
import { initialRunValues, textToValue, valueToText } from './inputs-ops.ts'

/** What each field holds while typing: text, or a checkbox's state for booleans. */
type Drafts = Record<string, string | boolean>

const storageKey = (workflowId: string) => `patchbay.run-inputs.${workflowId}`

/** The values the last run of this workflow started with in this browser. */
function loadRemembered(workflowId: string): Record<string, unknown> {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey(workflowId)) ?? '{}') as unknown
    return typeof saved === 'object' && saved !== null && !Array.isArray(saved)
      ? (saved as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

function remember(workflowId: string, values: Record<string, unknown>): void {
  try {
    localStorage.setItem(storageKey(workflowId), JSON.stringify(values))
  } catch {
    // Private mode or full storage: the next run starts from the defaults.
  }
}

function draftsOf(inputs: Record<string, WorkflowInput>, values: Record<string, unknown>): Drafts {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, input]) => [
      name,
      input.type === 'boolean' ? values[name] === true : valueToText(input.type, values[name]),
    ]),
  )
}

/**
 * Asks for the workflow's input values before a run starts (whenever the run store has an
 * `inputsRequest`): one field per input, typed, prefilled with what the last run used here or
 * the defaults. Problems the server finds with the values are shown next to them.
 */
export function RunInputsDialog() {
  const request = useRunStore((s) => s.inputsRequest)
  if (!request) return null
  return <RunInputsForm scope={request.scope} />
}

function RunInputsForm({ scope }: { scope: StartRunRequest['scope'] }) {
  const { workflowId, inputs } = useEditorStore(
    useShallow((s) => ({ workflowId: s.workflowId, inputs: s.document.inputs })),
  )
  const starting = useRunStore((s) => s.starting)
  const [drafts, setDrafts] = useState<Drafts>(() =>
    draftsOf(inputs, initialRunValues(inputs, loadRemembered(workflowId))),
  )
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [problem, setProblem] = useState<string>()
  const names = Object.keys(inputs)
  const close = () => useRunStore.getState().dismissInputsRequest()

  const defaults = draftsOf(inputs, initialRunValues(inputs))
  const atDefaults = names.every((name) => drafts[name] === defaults[name])

  async function submit(event?: FormEvent) {
    event?.preventDefault()
    const values: Record<string, unknown> = {}
    const found: Record<string, string> = {}
    for (const [name, input] of Object.entries(inputs)) {
      const draft = drafts[name]
      if (typeof draft === 'boolean') {
        values[name] = draft
        continue
      }
      const parsed = textToValue(input.type, draft ?? '')
      if (parsed.ok) values[name] = parsed.value
      else found[name] = parsed.error
    }
    setErrors(found)
    setProblem(undefined)
    if (Object.keys(found).length > 0) return
    remember(workflowId, values)
    const store = useRunStore.getState()
    await store.start(scope, values)
    const error = useRunStore.getState().startError
    const inputIssues = error?.issues.filter((issue) => issue.input !== undefined) ?? []
    if (error && inputIssues.length > 0) {
      // About the values typed here: say so here, not in the top bar's popover behind the dialog.
      useRunStore.getState().dismissStartError()
      setErrors(Object.fromEntries(inputIssues.map((issue) => [issue.input!, sentence(issue.message)])))
      const others = error.issues.filter((issue) => issue.input === undefined || !Object.hasOwn(inputs, issue.input))
      setProblem(others.length > 0 ? others.map((issue) => issue.message).join('; ') : undefined)
      return
    }
    close()
  }

  const what =
    scope === undefined || scope === 'all'
      ? 'the whole workflow'
      : `${scope.nodes.length} selected node${scope.nodes.length === 1 ? '' : 's'}`

  return (
    <FormDialog
      open
      onClose={close}
      title="Run with inputs"
      description={`Runs ${what} with these values. They are remembered in this browser for the next run.`}
      submitLabel="Run"
      busy={starting}
      onSubmit={(event) => void submit(event)}
      autoComplete="off"
    >
      {names.map((name, index) => (
        <Field
          key={name}
          label={
            <span className="flex items-center gap-1.5">
              <span className="font-mono">{name}</span>
              <span className="font-normal text-[11px] text-muted">{inputs[name]!.type}</span>
            </span>
          }
          hint={inputs[name]!.description}
          error={errors[name]}
        >
          {(id) => (
            <ValueField
              id={id}
              input={inputs[name]!}
              value={drafts[name] ?? ''}
              invalid={Boolean(errors[name])}
              autoFocus={index === 0}
              onChange={(value) => {
                setDrafts((current) => ({ ...current, [name]: value }))
                setErrors(({ [name]: _, ...rest }) => rest)
              }}
              onSubmit={() => void submit()}
            />
          )}
        </Field>
      ))}
      {problem && (
        <p role="alert" className="flex items-start gap-1.5 rounded-md bg-danger-soft px-2.5 py-2 text-[12px]">
          <AlertIcon size={14} className="mt-0.5 shrink-0 text-danger" />
          <span className="break-words">{sentence(problem)}</span>
        </p>
      )}
      {!atDefaults && (
        <button
          type="button"
          className="-mt-1 self-start text-[12px] text-muted underline-offset-2 hover:text-text hover:underline"
          onClick={() => {
            setDrafts(defaults)
            setErrors({})
          }}
        >
          Reset to defaults
        </button>
      )}
    </FormDialog>
  )
}

function ValueField({
  id,
  input,
  value,
  invalid,
  autoFocus,
  onChange,
  onSubmit,
}: {
  id: string
  input: WorkflowInput
  value: string | boolean
  invalid: boolean
  autoFocus: boolean
  onChange: (value: string | boolean) => void
  onSubmit: () => void
}) {
  const focus = autoFocus ? { 'data-autofocus': true } : {}
  const common = { id, 'aria-invalid': invalid || undefined, ...focus }
  if (input.type === 'boolean') {
    return (
      <label className="flex h-8 w-fit cursor-pointer items-center gap-2">
        <input
          {...common}
          type="checkbox"
          className="size-4 accent-[var(--pb-accent)]"
          checked={value === true}
          onChange={(event) => onChange(event.target.checked)}
        />
        <span className="font-mono text-[12px]">{value === true ? 'true' : 'false'}</span>
      </label>
    )
  }
  if (input.type === 'number') {
    return (
      <Input
        {...common}
        type="number"
        step="any"
        inputMode="decimal"
        className="w-40 tabular-nums"
        value={String(value)}
        onChange={(event) => onChange(event.target.value)}
      />
    )
  }
  return (
    <Textarea
      {...common}
      value={String(value)}
      spellCheck={input.type === 'text'}
      rows={input.type === 'json' ? 4 : 2}
      className={input.type === 'json' ? 'font-mono text-[12px]' : 'min-h-14'}
      placeholder={input.type === 'json' ? '{"key": "value"}' : undefined}
      onChange={(event) => onChange(event.target.value)}
      onKeyDown={(event) => {
        // Enter makes new lines in a text area; Ctrl/⌘+Enter runs, as on the canvas.
        if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
          event.preventDefault()
          onSubmit()
        }
      }}
    />
  )
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return trimmed ? trimmed[0]!.toUpperCase() + trimmed.slice(1) : trimmed
}
