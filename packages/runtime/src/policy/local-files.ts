import { readFile, realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { NodeError } from '@patchbay/core'

/**
 * Reads files for nodes such as `image.load`, only inside the directories the operator
 * allows (the CLI allows its working directory; a server allows none unless configured).
 * Symlinks are resolved before the check so a link cannot point outside.
 */
export function createFileReader(roots: readonly string[], baseDir: string) {
  const resolveAllowed = createFileResolver(roots, baseDir)
  return async function readLocalFile(path: string, signal?: AbortSignal): Promise<Uint8Array> {
    const real = await resolveAllowed(path)
    try {
      return new Uint8Array(await readFile(real, signal ? { signal } : {}))
    } catch (error) {
      throw new NodeError('FILE_NOT_FOUND', `cannot read ${path}: ${describeFsError(error)}`)
    }
  }
}

/**
 * Resolves a path (relative to `baseDir`) to the real file it names, refusing anything outside
 * the allowed roots; for tools that read the file themselves, such as ffmpeg.
 *
 * The roots are checked on the path as written before the file system is asked anything, so a
 * path outside them fails the same way whether or not it exists (no existence oracle), and the
 * error never names the roots. The real path is checked again, so a symlink cannot lead out.
 */
export function createFileResolver(roots: readonly string[], baseDir: string) {
  return async function resolveAllowed(path: string): Promise<string> {
    if (roots.length === 0) {
      throw new NodeError(
        'FILE_ACCESS_DENIED',
        'reading local files is disabled on this server; upload the file instead',
      )
    }
    const wanted = resolve(baseDir, path)
    const allowed = await allowedRoots(roots)
    if (!allowed.some((root) => isInside(wanted, root))) throw outsideRoots(path)
    let real: string
    try {
      real = await realpath(wanted)
    } catch (error) {
      throw new NodeError('FILE_NOT_FOUND', `cannot read ${path}: ${describeFsError(error)}`)
    }
    if (!allowed.some((root) => isInside(real, root))) throw outsideRoots(path)
    return real
  }
}

/** Each root as configured and as its real path (a root may itself sit behind a symlink). */
async function allowedRoots(roots: readonly string[]): Promise<string[]> {
  const resolved = roots.map((root) => resolve(root))
  const real = await Promise.all(resolved.map((root) => realpath(root).catch(() => root)))
  return [...new Set([...resolved, ...real])]
}

function outsideRoots(path: string): NodeError {
  return new NodeError('FILE_ACCESS_DENIED', `${path} is outside the directories this server may read`)
}

function isInside(path: string, root: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'EACCES') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}
