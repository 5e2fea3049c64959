import { createRegistry, PatchbayError } from '@patchbay/core'
import { type Accounts, accountsFor } from '@patchbay/db'
import { configFromEnv, openRuntime, type Runtime } from '@patchbay/runtime'
import {
  MASTER_KEY_ENV,
  masterKeyPath,
  type PruneResult,
  pruneKeys,
  type RotationResult,
  rotateMasterKey,
} from '@patchbay/server'
import type { Command } from 'commander'
import { color } from '../render/symbols.ts'
import { reportError } from '../report-error.ts'

interface KeysOptions {
  json?: boolean
}

export function registerKeysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description("Manage the master keys that encrypt the vault's provider credentials")
  keys
    .command('rotate')
    .description(
      `Re-encrypt every credential under a new master key (added to <data dir>/master.key, or the first key of ${MASTER_KEY_ENV})`,
    )
    .option('--json', 'print the result as JSON')
    .action(async (options: KeysOptions) => {
      try {
        await withAccounts('patchbay keys rotate', async (runtime, accounts) => {
          const result = await rotateMasterKey({ accounts, dataDir: runtime.config.dataDir, env: process.env })
          if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
          else process.stdout.write(describeRotation(result, masterKeyPath(runtime.config.dataDir)))
          if (result.failed.length > 0) process.exitCode = 1
        })
      } catch (error) {
        reportError(error)
      }
    })
  keys
    .command('prune')
    .description('Remove master keys that no credential is sealed with any more (run after every server has restarted)')
    .option('--json', 'print the result as JSON')
    .action(async (options: KeysOptions) => {
      try {
        await withAccounts('patchbay keys prune', async (runtime, accounts) => {
          const result = await pruneKeys({ accounts, dataDir: runtime.config.dataDir, env: process.env })
          if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
          else process.stdout.write(describePrune(result, masterKeyPath(runtime.config.dataDir)))
        })
      } catch (error) {
        reportError(error)
      }
    })
}

/** Opens the configured database (locking an embedded one, which a running server holds) for `use`. */
async function withAccounts(
  purpose: string,
  use: (runtime: Runtime, accounts: Accounts) => Promise<void>,
): Promise<void> {
  const config = configFromEnv()
  let runtime: Runtime
  try {
    runtime = await openRuntime(config, { registry: createRegistry({}), purpose })
  } catch (error) {
    if (error instanceof PatchbayError && error.code === 'DATA_DIR_LOCKED') {
      throw new PatchbayError(
        'DATA_DIR_LOCKED',
        `${error.message}\nThe embedded database allows one process at a time: stop the server, run \`${purpose}\`, ` +
          'then start it again. With PostgreSQL (DATABASE_URL) keys rotate while servers run.',
      )
    }
    throw error
  }
  try {
    await use(runtime, accountsFor(runtime.store))
  } finally {
    await runtime.close()
  }
}

function describeRotation(result: RotationResult, path: string): string {
  const where = result.source === 'file' ? `the new key in ${path}` : `the first key of ${MASTER_KEY_ENV}`
  const lines = [
    `${color.green('✓')} credentials are sealed with master key ${color.bold(result.keyId)} (${where})`,
    `  ${result.resealed} re-encrypted · ${result.alreadyCurrent} already current · ${result.skipped} changed meanwhile (left as written)`,
  ]
  for (const entry of result.failed) {
    lines.push(
      `${color.red('✗')} ${entry.name} (${entry.id}, organisation ${entry.orgId}) does not decrypt under key ${entry.keyId}; left as it was — set it again`,
    )
  }
  if (result.source === 'file') lines.push(`  Back up ${path}: it now holds the new key.`)
  if (result.oldKeyIds.length > 0) {
    lines.push(
      `  Old keys ${result.oldKeyIds.join(', ')} are kept so running servers keep working.`,
      result.source === 'file'
        ? '  Once every server has restarted, `patchbay keys prune` removes the ones no credential uses.'
        : `  Once every server has restarted, \`patchbay keys prune\` shows which ones you can remove from ${MASTER_KEY_ENV}.`,
    )
  }
  return `${lines.join('\n')}\n`
}

function describePrune(result: PruneResult, path: string): string {
  if (result.source === 'env') {
    if (result.unused.length === 0) return `${color.green('✓')} every key in ${MASTER_KEY_ENV} is still in use\n`
    const listed = result.unused.map((entry) => `key ${entry.position} (id ${entry.keyId})`).join(', ')
    return `${color.yellow('!')} no credential uses ${listed} of ${MASTER_KEY_ENV}: remove them from the variable and restart the servers\n`
  }
  if (result.removed.length === 0) return `${color.green('✓')} every key in ${path} is still in use\n`
  return (
    `${color.green('✓')} removed ${result.removed.length} unused key(s) from ${path}: ${result.removed.join(', ')}\n` +
    `  kept: ${result.kept.join(', ')}\n`
  )
}
