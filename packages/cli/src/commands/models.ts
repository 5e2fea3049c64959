import { type ModelCapability, modelCapabilities, PatchbayError, parseModelId } from '@patchbay/core'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { gatewayFromEnv, type ModelEntry } from '@patchbay/providers'
import type { Command } from 'commander'
import { formatCost } from '../render/run-model.ts'
import { color } from '../render/symbols.ts'
import { reportError } from '../report-error.ts'

export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('List the model catalog: capabilities, list prices and whether each provider is configured')
    .option('--json', 'print the catalog as JSON')
    .option('--capability <name>', `only models that can do this (${modelCapabilities.join(', ')})`)
    .action(async (options: { json?: boolean; capability?: string }) => {
      try {
        await listModels(options)
      } catch (error) {
        reportError(error)
      }
    })
}

async function listModels(options: { json?: boolean; capability?: string }): Promise<void> {
  const capability = options.capability as ModelCapability | undefined
  if (capability && !modelCapabilities.includes(capability)) {
    throw new PatchbayError('INVALID_ARGUMENT', `unknown capability "${capability}" (${modelCapabilities.join(', ')})`)
  }
  const { gateway } = gatewayFromEnv()
  const models = gateway.catalog.list(capability ? { capability } : {})
  const ready = new Map<string, boolean>()
  for (const entry of gateway.providers.list()) {
    ready.set(entry.adapter.id, await gateway.hasCredential(entry, DEFAULT_ORG_ID))
  }
  if (options.json) {
    const providers = gateway.providers.list().map(({ adapter, baseURL, local }) => ({
      id: adapter.id,
      title: adapter.title,
      baseURL,
      local,
      credential: adapter.credentialEnv ?? null,
      configured: ready.get(adapter.id) ?? false,
    }))
    process.stdout.write(`${JSON.stringify({ providers, models }, null, 2)}\n`)
    return
  }
  const rows = models.map((model) => {
    const provider = parseModelId(model.id)?.provider ?? ''
    return [
      model.id,
      model.capabilities.join(', '),
      describePrice(model),
      ready.get(provider) ? color.green('ready') : color.dim(`set ${credentialOf(gateway, provider)}`),
    ]
  })
  const header = ['model', 'can do', 'list price', 'credential']
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => visible(row[column]))))
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell + ' '.repeat(Math.max(0, (widths[column] ?? 0) - visible(cell)))).join('  ')
  const local = gateway.providers
    .list()
    .filter((entry) => entry.local)
    .map((entry) => `${entry.adapter.id}/<model> (${entry.baseURL})`)
  process.stdout.write(
    `${[color.bold(line(header)), ...rows.map(line)].join('\n')}\n\n` +
      `Any other model of these providers works too, priced as unknown. Local servers (free): ${local.join(', ')}\n`,
  )
}

function describePrice(model: ModelEntry): string {
  const { price } = model
  const parts: string[] = []
  if (price.perImage !== undefined) parts.push(`${formatCost(price.perImage)}/image`)
  if (price.perSecond !== undefined) parts.push(`${formatCost(price.perSecond)}/s of video`)
  if (price.perInputKTokens !== undefined && price.perOutputKTokens !== undefined) {
    parts.push(
      `${formatCost(price.perInputKTokens * 1000)} in · ${formatCost(price.perOutputKTokens * 1000)} out /1M tokens`,
    )
  }
  if (price.perKCharacters !== undefined) parts.push(`${formatCost(price.perKCharacters * 1000)}/1M characters`)
  if (price.perMinute !== undefined) parts.push(`${formatCost(price.perMinute)}/min of audio`)
  return parts.join(', ') || 'unknown'
}

function credentialOf(gateway: ReturnType<typeof gatewayFromEnv>['gateway'], provider: string): string {
  return gateway.providers.get(provider)?.adapter.credentialEnv ?? '?'
}

/** Length without ANSI colour codes. */
function visible(text: string | undefined): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI escapes
  return (text ?? '').replace(/\u001b\[[0-9;]*m/g, '').length
}
