import { type ReactNode, useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { Button } from './Button.tsx'
import { cx } from './cx.ts'
import { CloseIcon } from './icons.tsx'

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

// Open dialogs, innermost last: only the top one answers Esc and traps Tab.
const stack: symbol[] = []

export interface DialogProps {
  open: boolean
  onClose: () => void
  title: ReactNode
  description?: ReactNode
  children?: ReactNode
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode
  size?: 'sm' | 'md' | 'lg' | 'xl'
  /** Whether a click on the backdrop closes it (default true). */
  dismissable?: boolean
}

const widths = { sm: 'max-w-sm', md: 'max-w-md', lg: 'max-w-2xl', xl: 'max-w-5xl' }

/**
 * A modal dialog: focus moves in and stays in (Tab cycles), Esc or the close button closes it,
 * and focus returns to where it was.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  size = 'md',
  dismissable = true,
}: DialogProps) {
  const panel = useRef<HTMLDivElement>(null)
  const titleId = useId()
  const descriptionId = useId()
  const close = useRef(onClose)
  close.current = onClose

  useEffect(() => {
    if (!open) return
    const token = Symbol('dialog')
    stack.push(token)
    const previous = document.activeElement as HTMLElement | null
    const node = panel.current
    const first = node?.querySelector<HTMLElement>('[data-autofocus]') ?? node?.querySelector<HTMLElement>(focusable)
    ;(first ?? node)?.focus()
    const overflow = document.body.style.overflow
    document.body.style.overflow = 'hidden'

    function onKey(event: KeyboardEvent) {
      if (stack.at(-1) !== token || !node) return
      if (event.key === 'Escape') {
        event.stopPropagation()
        close.current()
        return
      }
      if (event.key !== 'Tab') return
      const items = [...node.querySelectorAll<HTMLElement>(focusable)].filter((el) => el.offsetParent !== null)
      if (items.length === 0) {
        event.preventDefault()
        return
      }
      const head = items[0]!
      const tail = items.at(-1)!
      if (event.shiftKey && (document.activeElement === head || !node.contains(document.activeElement))) {
        event.preventDefault()
        tail.focus()
      } else if (!event.shiftKey && document.activeElement === tail) {
        event.preventDefault()
        head.focus()
      }
    }
    document.addEventListener('keydown', onKey, true)
    return () => {
      document.removeEventListener('keydown', onKey, true)
      stack.splice(stack.indexOf(token), 1)
      if (stack.length === 0) document.body.style.overflow = overflow
      previous?.focus?.()
    }
  }, [open])

  if (!open) return null
  return createPortal(
    <div className="fixed inset-0 z-40 flex items-start justify-center overflow-y-auto bg-[var(--pb-overlay)] p-4 pt-[10vh]">
      {/* The backdrop: a click outside closes (Esc does the same from the keyboard). */}
      <div className="fixed inset-0" aria-hidden="true" onClick={dismissable ? onClose : undefined} />
      <div
        ref={panel}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        tabIndex={-1}
        className={cx(
          'pb-pop relative w-full rounded-lg border border-border bg-panel shadow-pop focus:outline-none',
          widths[size],
        )}
      >
        <div className="flex items-start justify-between gap-4 px-5 pt-4">
          <div className="min-w-0">
            <h2 id={titleId} className="font-semibold text-[15px]">
              {title}
            </h2>
            {description && (
              <p id={descriptionId} className="mt-1 text-muted">
                {description}
              </p>
            )}
          </div>
          <button
            type="button"
            aria-label="Close"
            onClick={onClose}
            className="-mt-0.5 -mr-1.5 rounded-md p-1 text-muted hover:bg-hover hover:text-text"
          >
            <CloseIcon size={16} />
          </button>
        </div>
        {children && <div className="px-5 pt-4 pb-1">{children}</div>}
        <div className="flex justify-end gap-2 px-5 pt-3 pb-4">{footer}</div>
      </div>
    </div>,
    document.body,
  )
}

export interface ConfirmDialogProps {
  open: boolean
  onClose: () => void
  title: ReactNode
  description?: ReactNode
  /** The confirming button's text, e.g. "Delete". */
  confirmLabel?: string
  /** Red confirm button (default true: confirmations are usually for destructive actions). */
  danger?: boolean
  /** Runs on confirm; the dialog shows a spinner until it settles and closes if it resolves. */
  onConfirm: () => unknown
}

/** Asks "are you sure?" before something that cannot be undone. */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  confirmLabel = 'Confirm',
  danger = true,
  onConfirm,
}: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false)
  async function confirm() {
    setBusy(true)
    try {
      await onConfirm()
      onClose()
    } catch {
      // The caller reports the error (a toast); the dialog stays open to retry or cancel.
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      size="sm"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant={danger ? 'danger' : 'primary'} loading={busy} onClick={confirm} data-autofocus>
            {confirmLabel}
          </Button>
        </>
      }
    />
  )
}

export interface FormDialogProps extends Omit<DialogProps, 'footer'> {
  submitLabel: ReactNode
  busy?: boolean
  onSubmit: (event: React.FormEvent<HTMLFormElement>) => void
  autoComplete?: 'on' | 'off'
}

/** A dialog around one form, with Cancel and a submit button (Enter in a field submits too). */
export function FormDialog({ submitLabel, busy, onSubmit, autoComplete, children, ...dialog }: FormDialogProps) {
  const formId = useId()
  return (
    <Dialog
      {...dialog}
      footer={
        <>
          <Button onClick={dialog.onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form={formId} loading={busy ?? false}>
            {submitLabel}
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} className="flex flex-col gap-4" autoComplete={autoComplete}>
        {children}
      </form>
    </Dialog>
  )
}
