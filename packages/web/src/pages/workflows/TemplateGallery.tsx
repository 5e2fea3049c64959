import { useState } from 'react'
import { templates } from '../../app/templates.ts'
import { SparkIcon } from '../../ui/icons.tsx'
import { Spinner } from '../../ui/Spinner.tsx'

/** The bundled example workflows; choosing one creates a copy and opens it. */
export function TemplateGallery({
  onUse,
  disabled,
}: {
  onUse: (document: object) => Promise<void>
  disabled?: boolean
}) {
  const [busy, setBusy] = useState<string>()
  if (templates.length === 0) return null
  return (
    <section className="mt-10">
      <h2 className="mb-1 font-semibold text-[14px]">Start from a template</h2>
      <p className="mb-4 text-muted">Examples that ship with Patchbay. Using one creates your own copy.</p>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {templates.map((template) => (
          <button
            key={template.key}
            type="button"
            disabled={disabled || busy !== undefined}
            onClick={async () => {
              setBusy(template.key)
              await onUse(template.document)
              setBusy(undefined)
            }}
            className="flex flex-col rounded-lg border border-border bg-panel p-4 text-left transition-colors hover:border-accent/60 hover:bg-accent-soft/30 disabled:cursor-not-allowed disabled:opacity-60"
          >
            <span className="flex items-center gap-2 font-medium">
              {busy === template.key ? <Spinner size={14} /> : <SparkIcon size={14} className="text-accent" />}
              {template.name}
            </span>
            <span className="mt-1.5 line-clamp-2 text-[12px] text-muted">{template.description}</span>
            <span className="mt-3 text-[11px] text-muted">
              {template.nodeCount} node{template.nodeCount === 1 ? '' : 's'}
            </span>
          </button>
        ))}
      </div>
    </section>
  )
}
