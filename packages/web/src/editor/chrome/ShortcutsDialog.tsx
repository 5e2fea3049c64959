import { Dialog } from '../../ui/Dialog.tsx'
import { shortcuts } from './use-shortcuts.ts'

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

function Keys({ combo }: { combo: string }) {
  // A gesture in words ("drop a wire on the canvas") is shown as text, key combos as <kbd>s.
  if (combo.includes(' ')) return <span className="italic">{combo}</span>
  return (
    <>
      {combo.split('+').map((key) => (
        <kbd
          key={key}
          className="mr-0.5 rounded border px-1.5 py-0.5 font-mono text-[11px]"
          style={{ borderColor: 'var(--pb-border-strong, #cfcfd6)', background: 'var(--pb-subtle, #f0f0f2)' }}
        >
          {key === 'Mod' ? (isMac ? '⌘' : 'Ctrl') : key}
        </kbd>
      ))}
    </>
  )
}

/** The keyboard cheat-sheet (`?`). */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" size="md">
      <table className="w-full text-sm">
        <tbody>
          {shortcuts.map((shortcut) => (
            <tr
              key={shortcut.what}
              className="border-b last:border-0"
              style={{ borderColor: 'var(--pb-border, #e2e2e6)' }}
            >
              <td className="py-1.5 pr-4 whitespace-nowrap">
                {shortcut.keys.map((combo, index) => (
                  <span key={combo}>
                    {index > 0 ? (
                      <span className="mx-1 text-xs" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
                        or
                      </span>
                    ) : null}
                    <Keys combo={combo} />
                  </span>
                ))}
              </td>
              <td className="py-1.5" style={{ color: 'var(--pb-muted, #6b6b76)' }}>
                {shortcut.what}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  )
}
