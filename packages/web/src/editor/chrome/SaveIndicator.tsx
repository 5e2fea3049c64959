import { useEditorStore } from '../store/index.ts'

const labels = {
  saved: { text: 'Saved', color: 'var(--pb-success, #16a34a)' },
  saving: { text: 'Saving…', color: 'var(--pb-muted, #6b6b76)' },
  dirty: { text: 'Unsaved changes', color: 'var(--pb-warning, #c27803)' },
  conflict: { text: 'Conflict', color: 'var(--pb-danger, #dc2626)' },
  error: { text: 'Not saved', color: 'var(--pb-danger, #dc2626)' },
} as const

/** "Saved" / "Saving…" / "Unsaved changes" / "Conflict" / "Not saved" (with the reason, and retry). */
export function SaveIndicator() {
  const saveState = useEditorStore((s) => s.saveState)
  const saveError = useEditorStore((s) => s.saveError)
  const readOnly = useEditorStore((s) => s.readOnly)
  if (readOnly) {
    return (
      <span
        className="rounded px-1.5 py-0.5 text-[11px]"
        style={{ background: 'var(--pb-subtle, #f0f0f2)', color: 'var(--pb-muted, #6b6b76)' }}
      >
        Read-only
      </span>
    )
  }
  const label = labels[saveState]
  return (
    <span
      className="flex items-center gap-1.5 text-xs"
      style={{ color: label.color }}
      title={saveError ?? undefined}
      data-testid="save-state"
    >
      <span className="h-1.5 w-1.5 rounded-full" style={{ background: label.color }} />
      {label.text}
      {saveState === 'error' ? (
        <button
          type="button"
          className="underline"
          onClick={() => {
            void useEditorStore
              .getState()
              .flushSave()
              .catch(() => undefined)
          }}
        >
          retry
        </button>
      ) : null}
    </span>
  )
}
