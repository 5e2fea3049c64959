import { bootWorker } from '@patchbay/server'
import { type Command, InvalidArgumentError } from 'commander'
import { reportError } from '../report-error.ts'
import { stopOnSignals } from '../stop-on-signals.ts'

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'Execute node tasks from Redis (needs DATABASE_URL and REDIS_URL); run any number of them, on any machines',
    )
    .option(
      '-c, --concurrency <n>',
      'node attempts at once per queue (default $PATCHBAY_WORKER_CONCURRENCY or 16)',
      positive,
    )
    .action(async (options: { concurrency?: number }) => {
      try {
        await work(options.concurrency)
      } catch (error) {
        reportError(error)
      }
    })
}

async function work(concurrency: number | undefined): Promise<void> {
  const worker = await bootWorker({ ...(concurrency ? { concurrency } : {}) })
  process.stdout.write(
    `Patchbay worker ready  ·  ${worker.concurrency} at once  ·  probes ${worker.probesUrl}/ready  ·  Ctrl-C to stop\n`,
  )
  stopOnSignals('Stopping: finishing running nodes, then handing back the rest…', () => worker.close())
}

function positive(value: string): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number of at least 1')
  return number
}
