#!/usr/bin/env node
// Enforces the package layering of docs/architecture.md: which workspace package may import
// which, no deep imports into another package, no `export *`, and no I/O builtins in core.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
/** Runtime imports each package may make (its own name is always allowed). */
const allowed = {
  core: [],
  nodes: ['core'],
  providers: ['core'],
  db: ['core'],
  storage: ['core'],
  runtime: ['core', 'db', 'storage'],
  server: ['core', 'db', 'storage', 'runtime', 'nodes', 'providers'],
  cli: ['core', 'db', 'storage', 'runtime', 'nodes', 'providers', 'server', 'sdk'],
  sdk: ['core'],
  web: ['core', 'sdk'],
}
/** Tests and test helpers may also use these. */
const allowedInTests = { nodes: ['storage'], providers: ['storage'], runtime: ['nodes'] }

const problems = []
const importPattern = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function filesOf(dir) {
  const out = []
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist') continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...filesOf(path))
    else if (/\.(ts|tsx|mts)$/.test(entry)) out.push(path)
  }
  return out
}

for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src')
  if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue
  if (!(pkg in allowed)) problems.push(`packages/${pkg}: not listed in scripts/check-architecture.mjs`)
  for (const file of filesOf(src)) {
    const text = readFileSync(file, 'utf8')
    const where = relative(root, file)
    const isTest = /\.test\.tsx?$|\/testing\/|\.contract\.ts$/.test(file)
    if (/^\s*export\s+\*\s+from/m.test(text)) problems.push(`${where}: re-export by name, not with export *`)
    for (const match of text.matchAll(importPattern)) {
      const spec = match[1] ?? match[2]
      if (pkg === 'core' && spec.startsWith('node:')) problems.push(`${where}: core must not import ${spec}`)
      if (!spec.startsWith('@patchbay/')) continue
      const [, target, ...rest] = spec.split('/')
      if (target === pkg) continue
      if (rest.includes('src')) problems.push(`${where}: deep import ${spec}; use the package's exports`)
      const ok = allowed[pkg]?.includes(target) || (isTest && allowedInTests[pkg]?.includes(target))
      if (!ok) problems.push(`${where}: ${pkg} may not depend on ${target}`)
    }
  }
}

if (problems.length > 0) {
  console.error(`Architecture check failed:\n${problems.map((p) => `  ✗ ${p}`).join('\n')}`)
  process.exit(1)
}
console.log('✓ architecture: package layering, public entry points and core purity hold')
