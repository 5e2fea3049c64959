import type { SavedWorkflow, Workflow, WorkflowSummary } from '@patchbay/sdk'
import { useNavigate } from 'react-router'
import { api, queryClient } from '../../app/api.ts'
import { downloadJson, safeFileName } from '../../app/download.ts'
import { toast } from '../../ui/toast.tsx'

/** A blank document: what "New workflow" creates. */
export const blankWorkflow = { schemaVersion: 1, name: 'Untitled workflow', nodes: [], edges: [] } as const

function refresh() {
  void queryClient.invalidateQueries({ queryKey: ['workflows'] })
}

function reportIssues(saved: SavedWorkflow) {
  if (saved.issues.length > 0) {
    const count = saved.issues.length
    toast.info(
      `“${saved.name}” has ${count} issue${count === 1 ? '' : 's'} to fix before it runs`,
      saved.issues[0]?.message,
    )
  }
}

/** The workflow list's actions, each reporting its errors in a toast. */
export function useWorkflowActions() {
  const navigate = useNavigate()

  async function create(document: Workflow | Record<string, unknown> = blankWorkflow) {
    try {
      const saved = await api.workflows.create(document)
      refresh()
      navigate(`/workflows/${saved.id}`)
    } catch (error) {
      toast.error(error, 'Could not create the workflow')
    }
  }

  async function duplicate(workflow: WorkflowSummary) {
    try {
      const copy = await api.workflows.duplicate(workflow.id)
      refresh()
      toast.success(`Duplicated as “${copy.name}”`)
    } catch (error) {
      toast.error(error, `Could not duplicate “${workflow.name}”`)
    }
  }

  async function remove(workflow: WorkflowSummary) {
    try {
      await api.workflows.remove(workflow.id)
      refresh()
      toast.success(`Deleted “${workflow.name}”`)
    } catch (error) {
      toast.error(error, `Could not delete “${workflow.name}”`)
      throw error
    }
  }

  async function exportJson(workflow: WorkflowSummary) {
    try {
      const document = await api.workflows.export(workflow.id)
      downloadJson(document, `${safeFileName(workflow.name)}.json`)
    } catch (error) {
      toast.error(error, `Could not export “${workflow.name}”`)
    }
  }

  /** Imports JSON files as new workflows; a file the server refuses shows its message. */
  async function importFiles(files: File[]) {
    let imported = 0
    for (const file of files) {
      let json: unknown
      try {
        json = JSON.parse(await file.text())
      } catch {
        toast.error(new Error(`${file.name} is not a JSON file`), 'Could not import')
        continue
      }
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        toast.error(new Error(`${file.name} does not hold a workflow document`), 'Could not import')
        continue
      }
      try {
        const saved = await api.workflows.create(json as Record<string, unknown>)
        imported++
        toast.success(`Imported “${saved.name}”`)
        reportIssues(saved)
      } catch (error) {
        toast.error(error, `Could not import ${file.name}`)
      }
    }
    if (imported > 0) refresh()
  }

  return { create, duplicate, remove, exportJson, importFiles }
}
