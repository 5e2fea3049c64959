import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react'
import { cx } from './cx.ts'
import { ChevronDownIcon } from './icons.tsx'

const field =
  'w-full rounded-md border border-border bg-panel text-[13px] text-text placeholder:text-muted transition-colors hover:border-border-strong focus:border-accent focus:outline-none disabled:cursor-not-allowed disabled:opacity-60 aria-invalid:border-danger'

export interface InputProps extends InputHTMLAttributes<HTMLInputElement> {
  /** An icon drawn inside, on the left (e.g. a search glass). */
  leading?: ReactNode
  ref?: Ref<HTMLInputElement>
}

/** A single-line text field. */
export function Input({ leading, className, ...props }: InputProps) {
  if (!leading) return <input className={cx(field, 'h-8 px-2.5', className)} {...props} />
  return (
    <div className={cx('relative', className)}>
      <span className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-muted">{leading}</span>
      <input className={cx(field, 'h-8 pr-2.5 pl-8')} {...props} />
    </div>
  )
}

/** A multi-line text field. */
export function Textarea({
  className,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  return <textarea className={cx(field, 'min-h-20 px-2.5 py-1.5', className)} {...props} />
}

/** A native select, styled; pass `<option>`s as children. */
export function Select({
  className,
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return (
    <div className={cx('relative inline-flex', className)}>
      <select className={cx(field, 'h-8 cursor-pointer appearance-none pr-7 pl-2.5')} {...props}>
        {children}
      </select>
      <ChevronDownIcon size={14} className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 text-muted" />
    </div>
  )
}

export interface FieldProps {
  label: ReactNode
  /** Help under the control. */
  hint?: ReactNode
  /** An error under the control (replaces the hint). */
  error?: ReactNode
  /** Renders the control, given the id to put on it. */
  children: (id: string) => ReactNode
}

/**
 * A labelled form control.
 *
 * @example
 * <Field label="Name" hint="Shown in the sidebar">{(id) => <Input id={id} />}</Field>
 */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId()
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="font-medium text-[12px] text-text">
        {label}
      </label>
      {children(id)}
      {error ? (
        <p className="text-[12px] text-danger">{error}</p>
      ) : hint ? (
        <p className="text-[12px] text-muted">{hint}</p>
      ) : null}
    </div>
  )
}
