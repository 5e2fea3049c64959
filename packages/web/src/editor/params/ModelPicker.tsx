import type { ModelCatalog } from '@patchbay/sdk'
import { capabilityOf, useModelCatalog } from '../catalog.ts'

type Model = ModelCatalog['models'][number]

/** `$0.042/image`, `$0.40/1K in · $1.60/1K out` — the price fields the model catalog uses. */
export function formatPrice(price: unknown): string {
  if (!price || typeof price !== 'object') return ''
  const p = price as Record<string, number>
  const money = (value: number) => `$${value < 0.01 ? value.toPrecision(2) : value.toFixed(3).replace(/0$/, '')}`
  const parts: string[] = []
  if (p.perInputKTokens !== undefined) parts.push(`${money(p.perInputKTokens * 1000)}/M in`)
  if (p.perOutputKTokens !== undefined) parts.push(`${money(p.perOutputKTokens * 1000)}/M out`)
  if (p.perImage !== undefined) parts.push(`${money(p.perImage)}/image`)
  if (p.perSecond !== undefined) parts.push(`${money(p.perSecond)}/s`)
  if (p.perMinute !== undefined) parts.push(`${money(p.perMinute)}/min`)
  if (p.perKCharacters !== undefined) parts.push(`${money(p.perKCharacters)}/1K chars`)
  return parts.join(' · ')
}

interface Props {
  nodeType: string
  value: string | undefined
  defaultValue: string | undefined
  disabled: boolean
  onChange(value: string | undefined): void
}

/** A model select filtered by the node's capability, with prices and missing-key hints. */
export function ModelPicker({ nodeType, value, defaultValue, disabled, onChange }: Props) {
  const { data } = useModelCatalog()
  const capability = capabilityOf(nodeType)
  const models = (data?.models ?? []).filter((model) => model.capabilities.includes(capability))
  const providers = data?.providers ?? []
  const current = value ?? defaultValue
  const providerId = current?.split('/')[0]
  const provider = providers.find((candidate) => candidate.id === providerId)
  const known = models.some((model) => model.id === current)

  const byProvider = new Map<string, Model[]>()
  for (const model of models) {
    const id = model.id.split('/')[0] ?? ''
    byProvider.set(id, [...(byProvider.get(id) ?? []), model])
  }

  return (
    <div className="flex flex-col gap-1">
      <select
        className="nodrag pb-field"
        value={current ?? ''}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value || undefined)}
      >
        {!known && current ? <option value={current}>{current}</option> : null}
        {[...byProvider].map(([id, list]) => {
          const info = providers.find((candidate) => candidate.id === id)
          const missing = info && !info.configured
          return (
            <optgroup key={id} label={`${info?.title ?? id}${missing ? ' (key missing)' : ''}`}>
              {list.map((model) => {
                const price = formatPrice(model.price)
                return (
                  <option key={model.id} value={model.id}>
                    {String(model.title ?? model.id)}
                    {price ? ` — ${price}` : ''}
                  </option>
                )
              })}
            </optgroup>
          )
        })}
      </select>
      {provider && !provider.configured ? (
        <span className="text-[11px]" style={{ color: 'var(--pb-warning, #c27803)' }}>
          Key missing: add {provider.credential ?? `a ${provider.title} key`} in Settings → Credentials
        </span>
      ) : null}
      {data && current && !provider ? (
        <span className="text-[11px]" style={{ color: 'var(--pb-danger, #dc2626)' }}>
          Unknown provider “{providerId}”
        </span>
      ) : null}
    </div>
  )
}
