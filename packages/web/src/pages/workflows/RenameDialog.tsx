import type { SavedWorkflow, WorkflowSummary } from '@patchbay/sdk'
import { useEffect, useState } from 'react'
import { api, queryClient } from '../../app/api.ts'
import { errorMessage, isApiError } from '../../app/errors.ts'
import { formatRelative } from '../../app/format.ts'
import { Button } from '../../ui/Button.tsx'
import { Dialog } from '../../ui/Dialog.tsx'
import { Field, Input } from '../../ui/Input.tsx'
import { toast } from '../../ui/toast.tsx'

function currentOf(details: unknown): SavedWorkflow | undefined {
  if (!details || typeof details !== 'object' || !('workflow' in details)) return undefined
  return (details as { workflow: SavedWorkflow }).workflow
}

/**
 * Renames a workflow: saves its document with the new name and the revision the list showed,
 * so a change made elsewhere meanwhile is reported (409) instead of overwritten.
 */
export function RenameDialog({ workflow, onClose }: { workflow: WorkflowSummary | undefined; onClose: () => void }) {
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const [conflict, setConflict] = useState<SavedWorkflow>()

  useEffect(() => {
    setName(workflow?.name ?? '')
    setError(undefined)
    setConflict(undefined)
  }, [workflow])

  async function save(base?: SavedWorkflow) {
    if (!workflow) return
    const trimmed = name.trim()
    if (!trimmed) {
      setError('A workflow needs a name.')
      return
    }
    setBusy(true)
    setError(undefined)
    try {
      const current = base ?? (await api.workflows.get(workflow.id))
      const revision = base ? base.revision : workflow.revision
      await api.workflows.update(workflow.id, revision, { ...current.document, name: trimmed })
      void queryClient.invalidateQueries({ queryKey: ['workflows'] })
      void queryClient.invalidateQueries({ queryKey: ['workflow', workflow.id] })
      toast.success(`Renamed to “${trimmed}”`)
      onClose()
    } catch (caught) {
      const latest = isApiError(caught, 409) ? currentOf(caught.details) : undefined
      if (latest) setConflict(latest)
      else setError(errorMessage(caught))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      open={workflow !== undefined}
      onClose={onClose}
      title="Rename workflow"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {conflict ? (
            <Button variant="primary" loading={busy} onClick={() => save(conflict)}>
              Rename the latest version
            </Button>
          ) : (
            <Button variant="primary" loading={busy} type="submit" form="rename-workflow">
              Rename
            </Button>
          )}
        </>
      }
    >
      <form
        id="rename-workflow"
        onSubmit={(event) => {
          event.preventDefault()
          void save()
        }}
        className="flex flex-col gap-3"
      >
        <Field label="Name" error={error}>
          {(id) => (
            <Input
              id={id}
              value={name}
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
              data-autofocus
              onFocus={(event) => event.currentTarget.select()}
            />
          )}
        </Field>
        {conflict && (
          <div role="alert" className="rounded-md border border-warning/40 bg-warning-soft px-3 py-2.5 text-[13px]">
            <p className="font-medium text-warning">This workflow changed since you loaded the list</p>
            <p className="mt-1 text-text">
              It is now “{conflict.name}” (revision {conflict.revision}, saved {formatRelative(conflict.updatedAt)}).
              Renaming applies your name to that latest version; nothing else in it changes.
            </p>
          </div>
        )}
      </form>
    </Dialog>
  )
}
