#!/usr/bin/env node
// Builds the web app (packages/web → packages/web/dist) when its sources changed since the last
// build; `--force` builds anyway. Runs before `npm start` (prestart) and as `npm run build`.
//
// "Changed" is a content hash of every file the bundle is made from, stored in dist/.build-hash:
// mtimes would say "stale" after every git checkout and "fresh" after a copied-in old dist.
// Prints one line; exits non-zero when the build fails (its output is printed then).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const web = join(root, 'packages/web')
const dist = join(web, 'dist')
const hashFile = join(dist, '.build-hash')
const force = process.argv.includes('--force')

/** Everything Vite reads to make the bundle (tests excluded: they are not in it). */
const inputs = [
  'packages/web/src',
  'packages/web/public',
  'packages/web/index.html',
  'packages/web/vite.config.ts',
  'packages/web/package.json',
  'packages/sdk/src',
  'packages/core/src',
  'examples', // bundled as templates
]

function filesUnder(path) {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info) return []
  if (info.isFile()) return [path]
  if (!info.isDirectory()) return []
  const files = []
  for (const entry of readdirSync(path).sort()) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue
    files.push(...filesUnder(join(path, entry)))
  }
  return files.filter((file) => !/\.test\.tsx?$/.test(file))
}

function sourceHash() {
  const hash = createHash('sha256')
  for (const input of inputs) {
    for (const file of filesUnder(join(root, input))) {
      hash.update(relative(root, file))
      hash.update('\0')
      hash.update(readFileSync(file))
      hash.update('\0')
    }
  }
  return hash.digest('hex')
}

/** Another build of the same checkout (parallel test files, `npm start` twice) waits for this one. */
function withLock(action) {
  const lock = join(tmpdir(), `patchbay-build-web-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`)
  const deadline = Date.now() + 5 * 60_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 5 * 60_000) rmSync(lock, { recursive: true, force: true })
      else if (Date.now() > deadline) throw new Error(`another web build holds ${lock}; remove it if none runs`)
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
  try {
    return action()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

function main() {
  if (!existsSync(join(web, 'index.html'))) {
    if (force) {
      console.error('web app: packages/web/index.html is missing; nothing to build')
      return 1
    }
    console.log('web app: no sources yet (packages/web/index.html is missing); the server will say so at /')
    return 0
  }
  return withLock(() => {
    const hash = sourceHash()
    const built =
      existsSync(join(dist, 'index.html')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash
    if (built && !force) {
      console.log('web app: up to date (packages/web/dist)')
      return 0
    }
    const started = Date.now()
    const result = spawnSync('npm', ['run', 'build', '--workspace', '@patchbay/web'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      shell: process.platform === 'win32',
    })
    if (result.status !== 0) {
      process.stderr.write(result.stdout ?? '')
      process.stderr.write(result.stderr ?? '')
      console.error(`web app: build failed (${result.error?.message ?? `exit code ${result.status}`})`)
      return 1
    }
    writeFileSync(hashFile, hash)
    console.log(`web app: built into packages/web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return 0
  })
}

process.exitCode = main()
