import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

export const repoRoot = new URL('../..', import.meta.url).pathname

/** A child process whose stdout lines are collected and can be awaited. */
export interface Child {
  process: ChildProcess
  lines: string[]
  stderr: () => string
  /** Resolves with the first line (past or future) matching `predicate`. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function spawnChild(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let errors = ''
  const waiters: { predicate: (line: string) => boolean; resolve: (line: string) => void }[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(line)
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(line)
      }
    }
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    process: child,
    lines,
    stderr: () => errors,
    exited,
    waitForLine(predicate, timeoutMs = 60_000) {
      const found = lines.find(predicate)
      if (found !== undefined) return Promise.resolve(found)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching line within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${errors}`),
            ),
          timeoutMs,
        )
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer)
            resolve(line)
          },
        })
        void exited.then(() => {
          setTimeout(() => reject(new Error(`process exited; stdout:\n${lines.join('\n')}\nstderr:\n${errors}`)), 50)
        })
      })
    },
  }
}

/** Runs `node` with tsx so a TypeScript fixture can be started directly. */
export function spawnTs(
  script: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  return spawnChild(process.execPath, ['--import', 'tsx', script, ...args], options)
}
