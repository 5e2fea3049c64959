/**
 * Closes a long-running command on Ctrl-C or SIGTERM, saying `message` first, then exits 0; a
 * second signal while closing exits 130 at once.
 */
export function stopOnSignals(message: string, close: () => Promise<void>): void {
  let stopping = false
  const stop = async () => {
    if (stopping) process.exit(130)
    stopping = true
    process.stdout.write(`${message}\n`)
    await close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}
