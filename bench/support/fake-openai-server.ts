/**
 * A loopback OpenAI for benchmarks, in its own process so that its memory and CPU are not
 * counted as the engine's. Prints its URL on stdout, then serves until killed.
 *   node --import tsx bench/support/fake-openai-server.ts <latencyMs>
 */
import { startFakeOpenAI } from '@patchbay/providers/testing'

const latencyMs = Number(process.argv[2] ?? 1000)
const server = await startFakeOpenAI({ latencyMs })
process.stdout.write(`${server.url}\n`)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
