import { useEffect, useRef, useState } from 'react'
import { Button, IconButton } from '../../ui/Button.tsx'
import { BracesIcon, CloseIcon, PlusIcon } from '../../ui/icons.tsx'
import { useEditorStore } from '../store/index.ts'
import { editDocument } from './edit-document.ts'
import { InputRow } from './InputRow.tsx'
import { addInput, newInputName, renameInput } from './inputs-ops.ts'

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
    editDocument((document) => addInput(document, name))
    setFresh(name)
  }

  function rename(from: string, to: string) {
    const key = keys.current.get(from)
    if (key) keys.current.set(to, key)
    editDocument((document) => renameInput(document, from, to))
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

/** Applies a half-typed field before the panel goes (a name applies when its field loses focus). */
function blurWithin(node: HTMLElement | null) {
  const active = document.activeElement
  if (active instanceof HTMLElement && node?.contains(active)) active.blur()
}
