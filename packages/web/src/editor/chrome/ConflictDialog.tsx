import { useState } from 'react'
import { Button } from '../../ui/Button.tsx'
import { Dialog } from '../../ui/Dialog.tsx'
import { useEditorStore } from '../store/index.ts'

/** Shown when a save hit a newer server copy: the user picks, nothing is lost silently. */
export function ConflictDialog() {
  const conflict = useEditorStore((s) => s.conflict)
  const saveState = useEditorStore((s) => s.saveState)
  const [busy, setBusy] = useState(false)
  const open = saveState === 'conflict'
  const resolve = async (choice: 'mine' | 'theirs') => {
    setBusy(true)
    try {
      await useEditorStore.getState().resolveConflict(choice)
    } catch {
      // The save state shows what went wrong.
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog
      open={open}
      onClose={() => undefined}
      dismissable={false}
      title="This workflow was changed elsewhere"
      description={
        conflict
          ? `Someone (or another tab) saved revision ${conflict.revision}${conflict.updatedAt ? ` at ${new Date(conflict.updatedAt).toLocaleTimeString()}` : ''} while you were editing.`
          : 'Someone (or another tab) saved a newer version while you were editing.'
      }
      footer={
        <>
          <Button disabled={busy || !conflict} onClick={() => void resolve('theirs')}>
            Load theirs
          </Button>
          <Button variant="primary" loading={busy} disabled={!conflict} onClick={() => void resolve('mine')}>
            Keep mine (overwrite)
          </Button>
        </>
      }
    >
      <ul className="list-disc pl-5 text-sm" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
        <li>
          <b>Keep mine</b> saves what you see now over their version.
        </li>
        <li>
          <b>Load theirs</b> replaces your canvas with their version; undo (Ctrl/⌘ Z) brings yours back.
        </li>
      </ul>
    </Dialog>
  )
}
