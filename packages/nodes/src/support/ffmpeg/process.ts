import { spawn } from 'node:child_process'
import { type NodeContext, NodeError } from '@patchbay/core'
import { abortError } from '../abort.ts'

/** The binaries, overridable for installations outside PATH. */
export const ffmpegBinary = process.env.PATCHBAY_FFMPEG ?? 'ffmpeg'
export const ffprobeBinary = process.env.PATCHBAY_FFPROBE ?? 'ffprobe'

/** How much of a failing tool's stderr ends up in the error message. */
const STDERR_TAIL = 2000

export interface ToolResult {
  stdout: string
  stderr: string
}

/**
 * Runs a media tool to completion. The child is killed when `signal` aborts (the node is
 * canceled or timed out), and the promise then rejects with the abort's error. A missing
 * binary is `FFMPEG_MISSING` with how to install it; a non-zero exit is `MEDIA_FAILED` (final)
 * carrying the end of stderr, which is where ffmpeg says what was wrong with the input.
 */
export function runTool(
  binary: string,
  args: string[],
  options: { signal: AbortSignal; onStdoutLine?: (line: string) => void; what: string },
): Promise<ToolResult> {
  return new Promise<ToolResult>((resolve, reject) => {
    if (options.signal.aborted) return reject(abortError(options.signal))
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let pending = ''
    const onAbort = () => child.kill('SIGKILL')
    options.signal.addEventListener('abort', onAbort, { once: true })
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (!options.onStdoutLine) {
        stdout += chunk
        return
      }
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) options.onStdoutLine(line)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL * 4)
    })
    child.once('error', (error: NodeJS.ErrnoException) => {
      options.signal.removeEventListener('abort', onAbort)
      if (error.code === 'ENOENT') {
        reject(
          new NodeError(
            'FFMPEG_MISSING',
            `${binary} is not installed; install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg, macOS: brew install ffmpeg) or set PATCHBAY_FFMPEG / PATCHBAY_FFPROBE`,
          ),
        )
      } else reject(error)
    })
    child.once('close', (code) => {
      options.signal.removeEventListener('abort', onAbort)
      if (options.signal.aborted) return reject(abortError(options.signal))
      if (code === 0) return resolve({ stdout, stderr })
      reject(
        new NodeError('MEDIA_FAILED', `${options.what} failed: ${describeStderr(stderr)}`, {
          details: { exitCode: code },
        }),
      )
    })
  })
}

/** The last meaningful lines of ffmpeg's stderr, without its banner noise. */
export function describeStderr(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('ffmpeg version') && !line.startsWith('built with'))
  const tail = lines.slice(-3).join('; ')
  return (tail.length > STDERR_TAIL ? `…${tail.slice(-STDERR_TAIL)}` : tail) || 'unknown error'
}

/**
 * Runs ffmpeg with `args` (inputs, filters, output; `-y` and progress flags are added) and
 * reports progress as the fraction of `durationMs` written so far.
 */
export async function runFfmpeg(
  ctx: NodeContext,
  args: string[],
  options: { durationMs?: number; what: string },
): Promise<void> {
  const total = options.durationMs && options.durationMs > 0 ? options.durationMs : undefined
  await runTool(
    ffmpegBinary,
    ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', '-progress', 'pipe:1', '-nostats', ...args],
    {
      signal: ctx.signal,
      what: options.what,
      onStdoutLine: (line) => {
        // `-progress` prints key=value lines; out_time_us is how far the output has got.
        const match = /^out_time_us=(\d+)/.exec(line)
        if (match && total) ctx.progress(Math.min(1, Number(match[1]) / 1000 / total), options.what)
      },
    },
  )
}
