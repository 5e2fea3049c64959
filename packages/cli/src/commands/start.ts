import { PatchbayError } from '@patchbay/core'
import { builtinRegistry } from '@patchbay/nodes'
import { gatewayFromEnv } from '@patchbay/providers'
import { configFromEnv, openRuntime } from '@patchbay/runtime'
import { startServer } from '@patchbay/server'
import type { Command } from 'commander'
import { z } from 'zod'
import { stderrLogger } from '../logger.ts'
import { reportError } from '../report-error.ts'

const listenSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
})

const consoleLogger = stderrLogger('info')

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start Patchbay: resume interrupted runs and serve HTTP on $HOST:$PORT (default 127.0.0.1:8080)')
    .action(async () => {
      try {
        await start()
      } catch (error) {
        reportError(error)
      }
    })
}

async function start(): Promise<void> {
  const listen = listenSchema.safeParse(process.env)
  if (!listen.success) {
    throw new PatchbayError(
      'INVALID_CONFIG',
      `invalid PORT or HOST: ${listen.error.issues.map((i) => i.message).join('; ')}`,
    )
  }
  const config = configFromEnv()
  const { gateway, resourceLimits } = gatewayFromEnv()
  const runtime = await openRuntime(config, {
    registry: builtinRegistry,
    logger: consoleLogger,
    purpose: 'patchbay start',
    models: gateway,
    resourceLimits,
  })
  const resumed = await runtime.engine.recover()
  if (resumed.length > 0) consoleLogger.info(`resumed ${resumed.length} interrupted run(s)`, { runs: resumed })
  const server = await startServer(runtime, { port: listen.data.PORT, host: listen.data.HOST, version: '0.1.0' })
  const where = config.databaseUrl ? 'PostgreSQL' : `${config.dataDir} (embedded)`
  process.stdout.write(`Patchbay is running at ${server.url}  ·  data: ${where}  ·  Ctrl-C to stop\n`)
  let stopping = false
  const stop = async () => {
    if (stopping) process.exit(130)
    stopping = true
    process.stdout.write('Stopping… (runs in progress resume on the next start)\n')
    await server.close()
    await runtime.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}
