import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AssetRef } from '@patchbay/core'
import { builtinNodes } from '@patchbay/nodes'
import { ffmpegSuiteEnabled, videoFixture } from '@patchbay/nodes/testing'
import { createTestEngine, type TestEngine } from '@patchbay/runtime/testing'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, spawnChild } from '../support/child-process.ts'

const withFfmpeg = await ffmpegSuiteEnabled('media workflows')

describe.skipIf(!withFfmpeg)('media workflows through the engine and the CLI', () => {
  let work: string
  let setup: TestEngine

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'patchbay-media-'))
    await writeFile(join(work, 'clip.mp4'), await videoFixture({ seconds: 2, width: 160, height: 120, fps: 10 }))
    // The first half of a real MP4: the header promises frames that are not there.
    const whole = await videoFixture({ seconds: 2, width: 160, height: 120 })
    await writeFile(join(work, 'cut.mp4'), whole.subarray(0, Math.floor(whole.byteLength / 3)))
    await writeFile(join(work, 'notes.txt'), 'not a video')
    setup = createTestEngine({ nodes: builtinNodes, fileRoots: [work], baseDir: work })
  })
  afterAll(async () => {
    await setup?.close()
    await rm(work, { recursive: true, force: true })
  })

  const load = (path: string) => ({ id: 'load', type: 'video.load', params: { path } })

  it('runs examples/video-pipeline.json from the CLI and writes the still, the GIF and the metadata', async () => {
    const out = join(work, 'out')
    const child = spawnChild(process.execPath, [
      join(repoRoot, 'packages/cli/bin/patchbay.js'),
      'run',
      'examples/video-pipeline.json',
      '--out',
      out,
      '--data-dir',
      join(work, 'data'),
    ])
    const { code } = await child.exited
    expect(code, child.stderr()).toBe(0)
    const still = await sharp(join(out, 'still.png')).metadata()
    expect([still.format, still.width, still.height]).toEqual(['png', 480, 270])
    const gif = await sharp(join(out, 'gif.gif'), { animated: true }).metadata()
    expect(gif.format).toBe('gif')
    expect(gif.pages).toBeGreaterThan(5)
    const outputs = JSON.parse(await readFile(join(out, 'outputs.json'), 'utf8'))
    expect(outputs.info).toMatchObject({ durationMs: 4000, width: 480, height: 270, hasAudio: true })
  })

  it('turns a clip into frames and the frames back into a clip (a list feeding a multiple input)', async () => {
    const { run } = await setup.run({
      workflow: {
        schemaVersion: 1,
        name: 'frames round trip',
        nodes: [
          load('clip.mp4'),
          { id: 'frames', type: 'video.toFrames', params: { fps: 5 } },
          { id: 'again', type: 'video.fromImages', params: { fps: 5 } },
          { id: 'out', type: 'output', params: { name: 'clip' } },
        ],
        edges: [
          { id: 'a', source: 'load', sourceHandle: 'video', target: 'frames', targetHandle: 'video' },
          { id: 'b', source: 'frames', sourceHandle: 'images', target: 'again', targetHandle: 'images' },
          { id: 'c', source: 'again', sourceHandle: 'video', target: 'out', targetHandle: 'value' },
        ],
      },
    })
    expect(run.status, JSON.stringify(run.error)).toBe('succeeded')
    const clip = run.outputs?.clip as AssetRef
    expect(clip).toMatchObject({ kind: 'video', mime: 'video/mp4', width: 160, height: 120 })
    expect(clip.durationMs).toBeGreaterThanOrEqual(1800)
    expect(clip.durationMs).toBeLessThanOrEqual(2200)
  })

  it('reads a file again on every run, so a changed file is noticed and an unchanged one reuses the cache', async () => {
    const workflow = {
      schemaVersion: 1,
      name: 'edited file',
      nodes: [load('edited.mp4'), { id: 'info', type: 'video.info', params: {} }],
      edges: [{ id: 'a', source: 'load', sourceHandle: 'video', target: 'info', targetHandle: 'video' }],
    }
    const statuses = (events: { type: string; nodeId?: string }[]) =>
      events.filter((event) => event.nodeId === 'info').map((event) => event.type)
    await writeFile(join(work, 'edited.mp4'), await videoFixture({ seconds: 1, width: 160, height: 120 }))
    await setup.run({ workflow })
    const unchanged = await setup.run({ workflow })
    expect(statuses(unchanged.events)).toContain('node.cached')
    await writeFile(join(work, 'edited.mp4'), await videoFixture({ seconds: 2, width: 320, height: 240 }))
    const edited = await setup.run({ workflow })
    expect(statuses(edited.events)).toContain('node.succeeded')
    expect(edited.run.status).toBe('succeeded')
    const info = edited.events.find((event) => event.type === 'node.succeeded' && event.nodeId === 'info')
    expect(info && 'outputs' in info ? info.outputs.width : undefined).toBe(320)
  })

  it.each([
    ['missing.mp4', 'FILE_NOT_FOUND'],
    ['cut.mp4', 'INVALID_MEDIA'],
    ['notes.txt', 'INVALID_MEDIA'],
  ])('fails the run, not the process, when the input is %s', async (path, code) => {
    const { run, events } = await setup.run({
      workflow: {
        schemaVersion: 1,
        name: 'bad input',
        nodes: [load(path), { id: 'frame', type: 'video.extractFrame', params: { timestamp: '50%' } }],
        edges: [{ id: 'a', source: 'load', sourceHandle: 'video', target: 'frame', targetHandle: 'video' }],
      },
    })
    expect(run.status).toBe('failed')
    const failed = events.find((event) => event.type === 'node.failed')
    expect(failed && 'error' in failed ? failed.error.code : undefined).toBe(code)
  })

  it('fails a timestamp past the end with the video length in the message', async () => {
    const { run, events } = await setup.run({
      workflow: {
        schemaVersion: 1,
        name: 'past the end',
        nodes: [load('clip.mp4'), { id: 'frame', type: 'video.extractFrame', params: { timestamp: 5 } }],
        edges: [{ id: 'a', source: 'load', sourceHandle: 'video', target: 'frame', targetHandle: 'video' }],
      },
    })
    expect(run.status).toBe('failed')
    const failed = events.find((event) => event.type === 'node.failed' && event.nodeId === 'frame')
    expect(failed && 'error' in failed ? failed.error : undefined).toMatchObject({ code: 'INVALID_PARAM' })
    expect(failed && 'error' in failed ? failed.error?.message : '').toContain('2.000 s')
  })
})
