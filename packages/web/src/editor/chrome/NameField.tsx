import { useEffect, useState } from 'react'
import { rename } from '../graph/document-ops.ts'
import { useEditorStore } from '../store/index.ts'

/** The workflow's name, renamed inline: Enter or leaving the field applies, Escape reverts. */
export function NameField() {
  const name = useEditorStore((s) => s.document.name)
  const readOnly = useEditorStore((s) => s.readOnly)
  const [text, setText] = useState(name)
  useEffect(() => setText(name), [name])
  const apply = () => {
    if (!text.trim()) return setText(name)
    useEditorStore.getState().edit((document) => rename(document, text))
  }
  return (
    <input
      aria-label="Workflow name"
      className="min-w-0 rounded border border-transparent bg-transparent px-1.5 py-0.5 font-semibold text-sm hover:border-[var(--pb-border,#e2e2e6)] focus:border-[var(--pb-accent,#4f46e5)] focus:outline-none"
      value={text}
      readOnly={readOnly}
      maxLength={200}
      size={Math.min(40, Math.max(8, text.length + 1))}
      onChange={(event) => setText(event.target.value)}
      onBlur={apply}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur()
        if (event.key === 'Escape') {
          setText(name)
          requestAnimationFrame(() => (event.target as HTMLInputElement).blur())
        }
      }}
    />
  )
}
