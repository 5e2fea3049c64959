import { create } from 'zustand'
import { errorMessage } from '../app/errors.ts'
import { cx } from './cx.ts'
import { AlertIcon, CheckIcon, CloseIcon, InfoIcon } from './icons.tsx'

type ToastKind = 'success' | 'error' | 'info'

interface ToastItem {
  id: number
  kind: ToastKind
  title: string
  message?: string
}

interface ToastState {
  items: ToastItem[]
}

const useToasts = create<ToastState>(() => ({ items: [] }))
let nextId = 1

function push(kind: ToastKind, title: string, message?: string): number {
  const id = nextId++
  useToasts.setState((s) => ({ items: [...s.items.slice(-4), { id, kind, title, ...(message ? { message } : {}) }] }))
  setTimeout(() => dismiss(id), kind === 'error' ? 8000 : 4000)
  return id
}

function dismiss(id: number): void {
  useToasts.setState((s) => ({ items: s.items.filter((t) => t.id !== id) }))
}

/**
 * Short notices in the corner. `toast.error` takes anything thrown and shows it readably (an
 * ApiError's message, a network failure…), with an optional title saying what failed.
 *
 * @example
 * try { await api.workflows.remove(id) } catch (err) { toast.error(err, 'Could not delete') }
 */
export const toast = {
  success: (title: string, message?: string) => push('success', title, message),
  info: (title: string, message?: string) => push('info', title, message),
  error: (error: unknown, title?: string) =>
    title ? push('error', title, errorMessage(error)) : push('error', errorMessage(error)),
  dismiss,
}

const icons = {
  success: <CheckIcon size={16} className="text-success" />,
  error: <AlertIcon size={16} className="text-danger" />,
  info: <InfoIcon size={16} className="text-info" />,
}

/** Where toasts appear; render once near the root. */
export function Toaster() {
  const items = useToasts((s) => s.items)
  return (
    <div
      className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-[360px] max-w-[calc(100vw-32px)] flex-col gap-2"
      aria-live="polite"
    >
      {items.map((item) => (
        <div
          key={item.id}
          role={item.kind === 'error' ? 'alert' : 'status'}
          className={cx(
            'pb-pop pointer-events-auto flex items-start gap-2.5 rounded-lg border border-border bg-panel px-3 py-2.5 shadow-pop',
          )}
        >
          <span className="mt-0.5">{icons[item.kind]}</span>
          <div className="min-w-0 flex-1">
            <p className="break-words font-medium">{item.title}</p>
            {item.message && <p className="mt-0.5 break-words text-muted">{item.message}</p>}
          </div>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => dismiss(item.id)}
            className="rounded p-0.5 text-muted hover:bg-hover hover:text-text"
          >
            <CloseIcon size={14} />
          </button>
        </div>
      ))}
    </div>
  )
}
