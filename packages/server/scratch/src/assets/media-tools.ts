import { execFile } from 'node:child_process'

/** The binaries, overridable for installations outside PATH (the same variables media nodes read). */
export const ffmpegBinary = process.env.PATCHBAY_FFMPEG ?? 'ffmpeg'
export const ffprobeBinary = process.env.PATCHBAY_FFPROBE ?? 'ffprobe'

/** ffmpeg/ffprobe is not installed: callers degrade (no duration, no video thumbnail) instead of failing. */
export class MediaToolMissingError extends Error {
  constructor(binary: string) {
    super(
      `${binary} is not installed; install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg) or set PATCHBAY_FFMPEG / PATCHBAY_FFPROBE`,
    )
    this.name = 'MediaToolMissingError'
  }
}

/** The tool ran and refused the input (or ran out of time); `message` ends with its stderr. */
export class MediaToolFailedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MediaToolFailedError'
  }
}

export interface MediaToolOptions {
  /** Killed after this long (default 30 s), so a hostile file cannot hold a request forever. */
  timeoutMs?: number
  /** Largest stdout accepted (default 16 MiB). */
  maxOutputBytes?: number
}

/** Runs ffmpeg or ffprobe with `args` (never through a shell) and returns its stdout. */
export function runMediaTool(binary: string, args: string[], options: MediaToolOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      {
        encoding: 'buffer',
        timeout: options.timeoutMs ?? 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutputBytes ?? 16 * 1024 * 1024,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new MediaToolMissingError(binary))
        const reason = error.killed ? 'timed out' : lastLines(stderr.toString('utf8')) || error.message
        reject(new MediaToolFailedError(reason))
      },
    )
  })
}

function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(-3)
    .join('; ')
    .slice(-1000)
}
