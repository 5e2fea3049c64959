import { useEffect, useState } from 'react'
import { DiceIcon, LockIcon, UnlockIcon } from '../../ui/icons.tsx'
import { ModelPicker } from './ModelPicker.tsx'
import { coerceLoose, type ParamField } from './schema.ts'

interface Props {
  field: ParamField
  nodeType: string
  value: unknown
  disabled: boolean
  onChange(value: unknown): void
}

/** One generated param control; `undefined` from `onChange` removes the param (default applies). */
export function ParamInput({ field, nodeType, value, disabled, onChange }: Props) {
  switch (field.kind) {
    case 'model':
      return (
        <ModelPicker
          nodeType={nodeType}
          value={typeof value === 'string' ? value : undefined}
          defaultValue={typeof field.defaultValue === 'string' ? field.defaultValue : undefined}
          disabled={disabled}
          onChange={onChange}
        />
      )
    case 'select':
      return (
        <select
          className="nodrag pb-field"
          disabled={disabled}
          value={value === undefined ? '' : String(value)}
          onChange={(event) => {
            const option = field.options?.find((candidate) => String(candidate) === event.target.value)
            onChange(event.target.value === '' ? undefined : option)
          }}
        >
          <option value="">{field.defaultValue !== undefined ? `default (${String(field.defaultValue)})` : '—'}</option>
          {field.options?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      )
    case 'toggle': {
      const checked = typeof value === 'boolean' ? value : field.defaultValue === true
      return (
        <label className="nodrag inline-flex cursor-pointer items-center gap-2 text-xs">
          <input
            type="checkbox"
            role="switch"
            aria-checked={checked}
            className="pb-switch"
            disabled={disabled}
            checked={checked}
            onChange={(event) => onChange(event.target.checked)}
          />
          <span style={{ color: 'var(--pb-muted, #6b6b76)' }}>{checked ? 'on' : 'off'}</span>
        </label>
      )
    }
    case 'slider':
      return (
        <div className="flex items-center gap-2">
          <input
            type="range"
            className="nodrag nowheel min-w-0 flex-1 accent-[var(--pb-accent,#4f46e5)]"
            disabled={disabled}
            min={field.min}
            max={field.max}
            step={field.integer ? 1 : sliderStep(field)}
            value={
              typeof value === 'number'
                ? value
                : typeof field.defaultValue === 'number'
                  ? field.defaultValue
                  : (field.min ?? 0)
            }
            onChange={(event) => onChange(Number(event.target.value))}
          />
          <NumberInput field={field} value={value} disabled={disabled} onChange={onChange} className="w-16" />
        </div>
      )
    case 'number':
      return <NumberInput field={field} value={value} disabled={disabled} onChange={onChange} />
    case 'seed':
      return <SeedInput field={field} value={value} disabled={disabled} onChange={onChange} />
    case 'textarea':
      return (
        <textarea
          className="nodrag nowheel pb-field pb-autogrow"
          disabled={disabled}
          rows={2}
          placeholder={placeholderOf(field)}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value === '' && !field.required ? undefined : event.target.value)}
        />
      )
    case 'json':
      return <JsonInput value={value} disabled={disabled} onChange={onChange} />
    default:
      return (
        <input
          className="nodrag pb-field"
          disabled={disabled}
          placeholder={placeholderOf(field)}
          value={value === undefined || value === null ? '' : String(value)}
          onChange={(event) => {
            const text = event.target.value
            onChange(field.loose ? coerceLoose(text) : text === '' ? undefined : text)
          }}
        />
      )
  }
}

function placeholderOf(field: ParamField): string {
  return field.defaultValue !== undefined && field.defaultValue !== '' ? String(field.defaultValue) : ''
}

function sliderStep(field: ParamField): number {
  const span = (field.max ?? 1) - (field.min ?? 0)
  return span <= 2 ? 0.01 : span <= 20 ? 0.1 : 1
}

/** A number field that lets you type `1.` or `-` on the way to a number. */
function NumberInput({
  field,
  value,
  disabled,
  onChange,
  className = '',
}: {
  field: ParamField
  value: unknown
  disabled: boolean
  onChange(value: unknown): void
  className?: string
}) {
  const shown = typeof value === 'number' ? String(value) : ''
  const [text, setText] = useState(shown)
  useEffect(() => {
    setText((current) => (Number(current) === value && current !== '' ? current : shown))
  }, [shown, value])
  return (
    <input
      type="number"
      inputMode={field.integer ? 'numeric' : 'decimal'}
      className={`nodrag nowheel pb-field ${className}`}
      disabled={disabled}
      min={field.min}
      max={field.max}
      step={field.integer ? 1 : 'any'}
      placeholder={placeholderOf(field)}
      value={text}
      onChange={(event) => {
        setText(event.target.value)
        if (event.target.value === '') return onChange(undefined)
        const number = Number(event.target.value)
        if (Number.isFinite(number)) onChange(field.integer ? Math.round(number) : number)
      }}
    />
  )
}

/** A seed: set (locked, reproducible) or unset (random each run), with a dice button. */
function SeedInput({
  field,
  value,
  disabled,
  onChange,
}: {
  field: ParamField
  value: unknown
  disabled: boolean
  onChange(value: unknown): void
}) {
  const locked = typeof value === 'number'
  const max = Math.min(field.max ?? 2 ** 32 - 1, Number.MAX_SAFE_INTEGER)
  const random = () => Math.floor(Math.random() * (max - (field.min ?? 0) + 1)) + (field.min ?? 0)
  return (
    <div className="flex items-center gap-1">
      <NumberInput
        field={{ ...field, kind: 'number' }}
        value={value}
        disabled={disabled}
        onChange={onChange}
        className="min-w-0 flex-1"
      />
      <button
        type="button"
        className="nodrag pb-icon-button"
        disabled={disabled}
        title="Randomise (and lock) the seed"
        onClick={() => onChange(random())}
      >
        <DiceIcon size={14} />
      </button>
      <button
        type="button"
        className="nodrag pb-icon-button"
        disabled={disabled}
        aria-pressed={locked}
        title={
          locked
            ? 'Locked: every run uses this seed. Click to use a random seed per run.'
            : 'Random per run. Click to lock a seed.'
        }
        onClick={() => onChange(locked ? undefined : random())}
      >
        {locked ? <LockIcon size={14} /> : <UnlockIcon size={14} />}
      </button>
    </div>
  )
}

/** Free JSON, applied when it parses. */
function JsonInput({
  value,
  disabled,
  onChange,
}: {
  value: unknown
  disabled: boolean
  onChange(value: unknown): void
}) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value)))
  const [invalid, setInvalid] = useState(false)
  return (
    <textarea
      className="nodrag nowheel pb-field pb-autogrow font-mono"
      style={invalid ? { borderColor: 'var(--pb-danger, #dc2626)' } : undefined}
      disabled={disabled}
      rows={2}
      value={text}
      onChange={(event) => {
        setText(event.target.value)
        if (event.target.value.trim() === '') {
          setInvalid(false)
          return onChange(undefined)
        }
        try {
          onChange(JSON.parse(event.target.value))
          setInvalid(false)
        } catch {
          setInvalid(true)
        }
      }}
    />
  )
}
