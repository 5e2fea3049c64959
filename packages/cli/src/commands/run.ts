import { dirname, relative, resolve } from 'node:path'
import { isAssetRef, ValidationError, validateWorkflow, type Workflow } from '@patchbay/core'
import { DEFAULT_ORG_ID } from '@patchbay/db'
import { builtinRegistry } from '@patchbay/nodes'
import { checkModels, estimateCost, type Gateway, gatewayFromEnv } from '@patchbay/providers'
import { configFromEnv, openRuntime, type Runtime } from '@patchbay/runtime'
import type { Command } from 'commander'
import { loadWorkflowFile } from '../load-workflow.ts'
import { stderrLogger } from '../logger.ts'
import { parseInputOptions } from '../parse-inputs.ts'
import { printEstimate } from '../print-estimate.ts'
import { formatCost, formatMs } from '../render/run-model.ts'
import { color } from '../render/symbols.ts'
import { JsonView, LiveView, PlainView, type RunView } from '../render/views.ts'
import { reportError } from '../report-error.ts'
import { type WrittenFile, writeOutputs } from '../write-outputs.ts'

interface RunOptions {
  input: string[]
  out?: string
  json?: boolean
  only?: string
  dataDir?: string
  estimate?: boolean
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run a workflow file and show each node live (exit 0 on success, 1 on failure or Ctrl-C)')
    .argument('<file>', 'workflow JSON file')
    .option(
      '-i, --input <name=value>',
      'a workflow input (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('-o, --out <dir>', 'write media outputs (and outputs.json) into this directory')
    .option('--json', 'print one JSON event per line instead of the live view')
    .option('--only <nodes>', 'run only these comma-separated node ids and what they need upstream')
    .option('--data-dir <dir>', 'data directory (default: $PATCHBAY_DATA_DIR or ./data)')
    .option('--estimate', 'print what the model calls would cost, without running anything')
    .action(async (file: string, options: RunOptions) => {
      try {
        process.exitCode = await runWorkflowFile(file, options)
      } catch (error) {
        reportError(error)
      }
    })
}

async function runWorkflowFile(file: string, options: RunOptions): Promise<number> {
  // Validated here as well as in the engine: mistakes are reported before the database is
  // opened (seconds on a first run), and --input values are parsed by their declared types.
  const checked = validateWorkflow(await loadWorkflowFile(file), builtinRegistry)
  if (!checked.ok) throw new ValidationError(checked.issues)
  const workflow = checked.workflow
  const inputs = parseInputOptions(workflow, options.input)
  const env = options.dataDir ? { ...process.env, PATCHBAY_DATA_DIR: options.dataDir } : process.env
  const { gateway, resourceLimits } = gatewayFromEnv(env)
  const only = options.only ? new Set(splitIds(options.only)) : undefined
  if (options.estimate) {
    printEstimate(estimateCost({ workflow, registry: builtinRegistry, gateway, ...(only ? { only } : {}) }))
    return 0
  }
  await checkBeforeRunning(workflow, gateway, only)
  const workflowDir = dirname(resolve(file))
  const config = configFromEnv(env, { fileRoots: [process.cwd(), workflowDir] })
  // Relative paths inside a workflow (image.load) are read from the workflow file's directory.
  const runtime = await openRuntime(config, {
    registry: builtinRegistry,
    purpose: `patchbay run ${file}`,
    baseDir: workflowDir,
    logger: stderrLogger('error'),
    models: gateway,
    resourceLimits,
  })
  try {
    return await execute(runtime, workflow, inputs, options)
  } finally {
    await runtime.close()
  }
}

async function execute(
  runtime: Runtime,
  workflow: Workflow,
  inputs: Record<string, unknown>,
  options: RunOptions,
): Promise<number> {
  const { engine } = runtime
  const typeOf = (id: string) => workflow.nodes.find((node) => node.id === id)?.type ?? '?'
  const view: RunView = options.json
    ? new JsonView()
    : process.stdout.isTTY
      ? new LiveView(typeOf)
      : new PlainView(typeOf)
  const nodes = options.only ? splitIds(options.only) : undefined
  const run = await engine.startRun({
    workflow,
    inputs,
    ...(nodes ? { nodes } : {}),
    onEvent: (event) => view.onEvent(event),
  })

  let interrupts = 0
  const onInterrupt = () => {
    interrupts++
    if (interrupts > 1) process.exit(130)
    process.stderr.write(`\n${color.yellow('Canceling… (Ctrl-C again to quit at once)')}\n`)
    void engine.cancelRun(run.orgId, run.id)
  }
  process.on('SIGINT', onInterrupt)
  process.on('SIGTERM', onInterrupt)
  try {
    const finished = await engine.waitForRun(run.orgId, run.id)
    view.close()
    const outputs = finished.outputs ?? {}
    const written = options.out ? await writeOutputs(options.out, outputs, runtime.assets) : []
    if (!options.json)
      printSummary(finished.status, outputs, written, {
        elapsedMs: Date.now() - run.createdAt.getTime(),
        error: finished.error?.message,
        cost: finished.cost,
      })
    return finished.status === 'succeeded' ? 0 : 1
  } finally {
    process.off('SIGINT', onInterrupt)
    process.off('SIGTERM', onInterrupt)
  }
}

function printSummary(
  status: string,
  outputs: Record<string, unknown>,
  written: WrittenFile[],
  { elapsedMs, error, cost }: { elapsedMs: number; error: string | undefined; cost: number | null },
): void {
  const spent = cost ? color.dim(`  ·  ${formatCost(cost)} in model calls`) : ''
  const headline =
    status === 'succeeded'
      ? color.green(`✓ Run succeeded in ${formatMs(elapsedMs)}`)
      : status === 'canceled'
        ? color.yellow(`⊘ Run canceled after ${formatMs(elapsedMs)}`)
        : color.red(`✗ Run failed after ${formatMs(elapsedMs)}${error ? `: ${error}` : ''}`)
  const lines = [headline + spent]
  const names = Object.keys(outputs)
  if (names.length > 0) {
    lines.push(color.bold('Outputs'))
    const width = Math.max(...names.map((name) => name.length))
    for (const name of names) {
      const files = written.filter((file) => file.output === name || file.output.startsWith(`${name}-`))
      const value = outputs[name]
      const shown =
        files.length > 0
          ? files
              .map((file) => `${relative(process.cwd(), file.path)}  ${color.dim(describeAsset(file.ref))}`)
              .join(', ')
          : isAssetRef(value)
            ? `${describeAsset(value)} ${color.dim('(use --out DIR to save it)')}`
            : typeof value === 'string'
              ? value.replace(/\n/g, `\n  ${' '.repeat(width)}  `)
              : JSON.stringify(value)
      lines.push(`  ${name.padEnd(width)}  ${shown}`)
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

/**
 * Model calls are checked before the database is opened: a missing credential or a param
 * the model does not accept is reported with the variable or range, not half-way through a run.
 */
async function checkBeforeRunning(workflow: Workflow, gateway: Gateway, only: ReadonlySet<string> | undefined) {
  const issues = await checkModels({
    workflow,
    registry: builtinRegistry,
    gateway,
    orgId: DEFAULT_ORG_ID,
    ...(only ? { only } : {}),
  })
  if (issues.length > 0) throw new ValidationError(issues)
}

function splitIds(list: string): string[] {
  return list
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
}

function describeAsset(ref: { mime: string; bytes: number; width?: number; height?: number }): string {
  const size = ref.bytes < 1024 ? `${ref.bytes} B` : `${Math.round(ref.bytes / 1024)} KB`
  return [ref.mime, ref.width && ref.height ? `${ref.width}×${ref.height}` : undefined, size].filter(Boolean).join(', ')
}
