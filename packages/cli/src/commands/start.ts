import { describeAssetStorage } from '@patchbay/runtime'
import { bootServer } from '@patchbay/server'
import type { Command } from 'commander'
import { reportError } from '../report-error.ts'
import { stopOnSignals } from '../stop-on-signals.ts'

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start Patchbay: resume interrupted runs and serve the API on $HOST:$PORT (default 127.0.0.1:8080)')
    .option(
      '--no-worker',
      'with REDIS_URL: serve the API and schedule runs, but leave node tasks to `patchbay worker`s',
    )
    .action(async (options: { worker: boolean }) => {
      try {
        await start(options.worker)
      } catch (error) {
        reportError(error)
      }
    })
}

async function start(executeNodes: boolean): Promise<void> {
  const server = await bootServer({ version: '0.1.0', role: executeNodes ? 'all' : 'api' })
  const { config, runtime } = server.services
  const where = runtime.config.databaseUrl ? 'PostgreSQL' : `${runtime.config.dataDir} (embedded)`
  // Bucket, prefix and endpoint only: the credentials are never printed.
  const assets =
    runtime.config.assets?.kind === 's3'
      ? `  ·  assets: ${describeAssetStorage(runtime.config.assets, runtime.config.dataDir)}`
      : ''
  const queue =
    runtime.config.queue?.kind === 'bullmq'
      ? executeNodes
        ? '  ·  queue: Redis (this process also runs nodes)'
        : '  ·  queue: Redis (nodes run on `patchbay worker`s)'
      : ''
  const access = config.localMode
    ? 'local mode: no sign-in needed from this machine'
    : 'sign in required (POST /api/auth/sign-up/email creates the first account)'
  process.stdout.write(
    `Patchbay is running at ${server.url}  ·  API docs ${server.url}/api/docs\n` +
      `data: ${where}${assets}${queue}  ·  ${access}  ·  Ctrl-C to stop\n`,
  )
  stopOnSignals('Stopping… (runs in progress resume on the next start)', () => server.close())
}
