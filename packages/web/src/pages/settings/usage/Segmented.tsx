import { cx } from '../../../ui/cx.ts'

/** A row of mutually exclusive buttons (a segmented control), e.g. a period or a chart's measure. */
export function Segmented<T extends string>({
  label,
  items,
  value,
  onChange,
}: {
  /** What is being chosen, for screen readers. */
  label: string
  items: readonly { value: T; label: string }[]
  value: T
  onChange: (value: T) => void
}) {
  return (
    <fieldset className="inline-flex shrink-0 rounded-md border border-border bg-subtle p-0.5">
      <legend className="sr-only">{label}</legend>
      {items.map((item) => (
        <button
          key={item.value}
          type="button"
          aria-pressed={item.value === value}
          onClick={() => onChange(item.value)}
          className={cx(
            'h-6 whitespace-nowrap rounded-[5px] px-2.5 font-medium text-[12px] transition-colors',
            item.value === value ? 'bg-panel text-text shadow-sm' : 'text-muted hover:text-text',
          )}
        >
          {item.label}
        </button>
      ))}
    </fieldset>
  )
}
