import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type RunEvent, runEventTypes } from '@patchbay/core'
import { DEFAULT_ORG_ID, openStore } from '@patchbay/db'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, spawnChild } from './support/child-process.ts'

const bin = join(repoRoot, 'packages/cli/bin/patchbay.js')
let dataDir: string
let work: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'patchbay-cli-'))
  dataDir = join(work, 'data')
})
afterAll(async () => rm(work, { recursive: true, force: true }))

/** Runs the CLI to completion from the repository root with its own data directory. */
async function patchbay(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnChild(process.execPath, [bin, ...args], { env: { PATCHBAY_DATA_DIR: dataDir, ...env } })
  const { code } = await child.exited
  return { code, stdout: child.lines.join('\n'), stderr: child.stderr(), lines: child.lines }
}

const events = (lines: string[]) => lines.map((line) => JSON.parse(line) as RunEvent)

/** Waits (by polling /health) until the server drives no run, stops it, and reads the run back. */
async function waitForRunToFinish(server: ReturnType<typeof spawnChild>, dir: string, runId: string) {
  const line = await server.waitForLine((text) => text.startsWith('Patchbay is running at'))
  const url = /at (http:\/\/\S+)/.exec(line)?.[1]
  for (let tries = 0; tries < 300; tries++) {
    const health = (await (await fetch(`${url}/health`)).json()) as { activeRuns: number }
    if (health.activeRuns === 0) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  server.process.kill('SIGTERM')
  await server.exited
  const store = await openStore({ dataDir: dir })
  try {
    const run = await store.getRun(DEFAULT_ORG_ID, runId)
    if (!run) throw new Error(`run ${runId} is not in ${dir}`)
    return run
  } finally {
    await store.close()
  }
}

describe('patchbay validate', () => {
  it('accepts every example', async () => {
    for (const example of ['hello', 'branching', 'image-pipeline', 'parallel-waits']) {
      const result = await patchbay(['validate', `examples/${example}.json`])
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain('is valid')
    }
  })

  it('lists every problem with its node, handle and field, and exits 1', async () => {
    const file = join(work, 'broken.json')
    await writeFile(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'broken',
        nodes: [
          { id: 'a', type: 'text.template', params: { template: 'hi {{inputs.who}}' } },
          { id: 'b', type: 'image.crop', params: { x: 2 } },
          { id: 'c', type: 'no.such.node', params: {} },
        ],
        edges: [{ id: 'e1', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'image' }],
      }),
    )
    const human = await patchbay(['validate', file])
    expect(human.code).toBe(1)
    expect(human.stdout).toMatch(/has \d+ problems/)
    for (const expected of ['UNKNOWN_WORKFLOW_INPUT', 'INVALID_PARAM', 'UNKNOWN_NODE_TYPE', 'INCOMPATIBLE_TYPES']) {
      expect(human.stdout).toContain(expected)
    }
    expect(human.stdout).toContain('node b')
    const json = await patchbay(['validate', file, '--json'])
    expect(json.code).toBe(1)
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean
      issues: { code: string; nodeId?: string; field?: string }[]
    }
    expect(parsed.ok).toBe(false)
    expect(parsed.issues).toContainEqual(expect.objectContaining({ code: 'INVALID_PARAM', nodeId: 'b', field: 'x' }))
    expect(parsed.issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_NODE_TYPE', nodeId: 'c' }))
  })

  it('explains a missing file or bad JSON', async () => {
    const missing = await patchbay(['validate', 'nope.json'])
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('cannot read workflow nope.json: no such file')
    const file = join(work, 'bad.json')
    await writeFile(file, '{ "schemaVersion": 1,')
    const bad = await patchbay(['validate', file])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('is not valid JSON')
  })
})

describe('patchbay run', () => {
  it('streams NDJSON events and ends with run.finished carrying the outputs', async () => {
    const result = await patchbay(['run', 'examples/hello.json', '--input', 'name=World', '--json'])
    expect(result.code, result.stderr).toBe(0)
    const stream = events(result.lines)
    for (const event of stream) expect(runEventTypes).toContain(event.type)
    expect(stream[0]?.type).toBe('run.started')
    expect(stream.at(-1)).toMatchObject({
      type: 'run.finished',
      status: 'succeeded',
      outputs: { message: 'Hello, World! Welcome to Patchbay.' },
    })
    expect(stream.map((event) => event.seq)).toEqual(stream.map((_, index) => index + 1))
  })

  it('executes nothing when run again unchanged, and only the edited part after an edit', async () => {
    const again = events((await patchbay(['run', 'examples/hello.json', '--input', 'name=World', '--json'])).lines)
    expect(again.filter((event) => event.type === 'node.started')).toHaveLength(0)
    expect(again.filter((event) => event.type === 'node.cached')).toHaveLength(3)

    const other = events((await patchbay(['run', 'examples/hello.json', '--input', 'name=Ada', '--json'])).lines)
    expect(other.filter((event) => event.type === 'node.started').length).toBe(3)
    expect(other.at(-1)).toMatchObject({ outputs: { message: 'Hello, Ada! Welcome to Patchbay.' } })
  })

  it('shows progress lines and the outputs for a person, and runs a branch and join', async () => {
    const result = await patchbay(['run', 'examples/branching.json', '--input', 'mood=sad'])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('cheer (text.template) branch not taken')
    expect(result.stdout).toContain('✓ Run succeeded')
    expect(result.stdout).toContain('Sorry you feel sad. Tomorrow is another day.')
  })

  it('writes media outputs to --out', async () => {
    const out = join(work, 'out')
    const result = await patchbay(['run', 'examples/image-pipeline.json', '--out', out])
    expect(result.code, result.stderr).toBe(0)
    const crop = await sharp(await readFile(join(out, 'crop.png'))).metadata()
    expect([crop.width, crop.height, crop.format]).toEqual([256, 256, 'png'])
    const thumbnail = await sharp(await readFile(join(out, 'thumbnail.png'))).metadata()
    expect(thumbnail.width).toBe(160)
    const summary = JSON.parse(await readFile(join(out, 'outputs.json'), 'utf8')) as Record<string, { file: string }>
    expect(summary.crop?.file).toBe('crop.png')
    expect(result.stdout).toContain('crop.png')
  })

  it('exits 1 when a node fails, naming the node and the reason', async () => {
    const file = join(work, 'missing-image.json')
    await writeFile(
      file,
      JSON.stringify({
        schemaVersion: 1,
        name: 'missing image',
        nodes: [
          { id: 'load', type: 'image.load', params: { path: 'does-not-exist.png' } },
          { id: 'out', type: 'output', params: { name: 'image' } },
        ],
        edges: [{ id: 'e', source: 'load', sourceHandle: 'image', target: 'out', targetHandle: 'value' }],
      }),
    )
    const result = await patchbay(['run', file])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('node "load" failed')
    expect(result.stdout).toContain('does-not-exist.png')
  })

  it('rejects bad inputs before running', async () => {
    const unknown = await patchbay(['run', 'examples/hello.json', '--input', 'nobody=1'])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toContain('input "nobody" is not declared by the workflow')
    const malformed = await patchbay(['run', 'examples/hello.json', '--input', 'name'])
    expect(malformed.code).toBe(1)
    expect(malformed.stderr).toContain('expected name=value')
  })

  it('cancels cleanly on Ctrl-C and exits 1', async () => {
    const child = spawnChild(process.execPath, [bin, 'run', 'examples/parallel-waits.json', '--json'], {
      env: { PATCHBAY_DATA_DIR: dataDir },
    })
    await child.waitForLine((line) => line.includes('"node.started"') && line.includes('"three"'))
    child.process.kill('SIGINT')
    const { code } = await child.exited
    expect(code).toBe(1)
    const stream = events(child.lines)
    expect(stream.at(-1)).toMatchObject({ type: 'run.finished', status: 'canceled' })
    expect(stream).toContainEqual(expect.objectContaining({ type: 'node.canceled', nodeId: 'three' }))
    expect(child.stderr()).toContain('Canceling')
  })
})

describe('patchbay start', () => {
  it('answers /health, keeps a second process out of the data directory, and stops on SIGTERM', async () => {
    const server = spawnChild(process.execPath, [bin, 'start'], { env: { PATCHBAY_DATA_DIR: dataDir, PORT: '0' } })
    const line = await server.waitForLine((text) => text.startsWith('Patchbay is running at'))
    const url = /at (http:\/\/\S+)/.exec(line)?.[1]
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite', storage: 'local' })
    const missing = await fetch(`${url}/api/v1/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND' } })

    const blocked = await patchbay(['run', 'examples/hello.json'])
    expect(blocked.code).toBe(1)
    expect(blocked.stderr).toContain('is in use by another Patchbay process')

    server.process.kill('SIGTERM')
    expect((await server.exited).code).toBe(0)
    const after = await patchbay(['run', 'examples/hello.json', '--json'])
    expect(after.code).toBe(0)
  })

  it('resumes a run whose `patchbay run` process was killed', async () => {
    const dir = join(work, 'resume-data')
    const killed = spawnChild(process.execPath, [bin, 'run', 'examples/parallel-waits.json', '--json'], {
      env: { PATCHBAY_DATA_DIR: dir },
    })
    const started = JSON.parse(
      await killed.waitForLine((line) => line.includes('"node.started"') && line.includes('"three"')),
    ) as RunEvent
    killed.process.kill('SIGKILL')
    await killed.exited

    const server = spawnChild(process.execPath, [bin, 'start'], { env: { PATCHBAY_DATA_DIR: dir, PORT: '0' } })
    await server.waitForLine((text) => text.startsWith('Patchbay is running at'))
    expect(server.stderr()).toContain('resumed 1 interrupted run(s)')
    const store = await waitForRunToFinish(server, dir, started.runId)
    expect(store.status).toBe('succeeded')
    expect(store.outputs).toEqual({ joined: 'go + go + go' })
  })

  it('refuses a bad PORT with a clear message', async () => {
    const result = await patchbay(['start'], { PORT: 'eighty' })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('invalid configuration: PORT')
  })
})
