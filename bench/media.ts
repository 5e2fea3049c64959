/**
 * Media benchmark.
 * 1. A 4096×4096 photo through image.load → image.crop → image.resize → image.composite →
 *    image.convert in Patchbay (embedded PGlite + local files), against the same operations
 *    done directly with sharp in one script: step by step (each result encoded, as nodes must)
 *    and as one fused sharp pipeline. Prints direct/patchbay ratios (target ≥ 0.8).
 * 2. Peak RSS of the process while a 1-minute 1080p video goes through video.load →
 *    video.trim → video.resize → video.extractFrame (ffmpeg does the work in child processes;
 *    the video must stream through, never whole into this process's memory).
 *
 *   npm run bench:media
 *   PATCHBAY_BENCH_MEDIA=image npm run bench:media   # or video: one part only
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { builtinRegistry } from '@patchbay/nodes'
import { openRuntime, type Runtime } from '@patchbay/runtime'
import sharp from 'sharp'

const run = promisify(execFile)
const REPEATS = 5
const parts = (process.env.PATCHBAY_BENCH_MEDIA ?? 'image,video').split(',')
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

const work = await mkdtemp(join(tmpdir(), 'patchbay-bench-media-'))
const photo = join(work, 'photo.jpg')
const logo = join(work, 'logo.png')
const video = join(work, 'video.mp4')

async function makeFixtures(parts: string[]): Promise<void> {
  // Noise is the worst case for codecs; a blurred gradient of noise looks more like a photo.
  const noise = Buffer.alloc(1024 * 1024 * 3)
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24
  await sharp(noise, { raw: { width: 1024, height: 1024, channels: 3 } })
    .resize(4096, 4096)
    .blur(2)
    .jpeg({ quality: 90 })
    .toFile(photo)
  await sharp({ create: { width: 512, height: 512, channels: 4, background: '#ff000080' } })
    .png()
    .toFile(logo)
  if (!parts.includes('video')) return
  await run('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=s=1920x1080:r=30:d=60',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:duration=60',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-shortest',
    video,
  ])
}

function imageWorkflow(round: number) {
  const node = (id: string, type: string, params: Record<string, unknown>) => ({ id, type, params })
  const edge = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
    id: `${source}-${target}-${targetHandle}`,
    source,
    sourceHandle,
    target,
    targetHandle,
  })
  return {
    schemaVersion: 1,
    name: `media bench ${round}`,
    nodes: [
      node('load', 'image.load', { path: photo }),
      node('logo', 'image.load', { path: logo }),
      // A different crop each round, so no step is answered from the cache.
      node('crop', 'image.crop', { x: 0.1 + round * 0.001, y: 0.1, width: 0.8, height: 0.8 }),
      node('resize', 'image.resize', { width: 2048 }),
      node('composite', 'image.composite', { layers: [{ x: 0.05, y: 0.05, scale: 0.2, opacity: 0.8 }] }),
      node('convert', 'image.convert', { format: 'webp', quality: 80 }),
      node('out', 'output', { name: 'image' }),
    ],
    edges: [
      edge('load', 'image', 'crop', 'image'),
      edge('crop', 'image', 'resize', 'image'),
      edge('resize', 'image', 'composite', 'base'),
      edge('logo', 'image', 'composite', 'layers'),
      edge('composite', 'image', 'convert', 'image'),
      edge('convert', 'image', 'out', 'value'),
    ],
  }
}

/** The same five operations with sharp, each step's result encoded as a node's would be. */
async function sharpStepwise(round: number): Promise<Buffer> {
  const input = await readFile(photo)
  const meta = await sharp(input).metadata()
  const left = Math.round((0.1 + round * 0.001) * meta.width)
  const top = Math.round(0.1 * meta.height)
  const cropped = await sharp(input)
    .extract({ left, top, width: Math.round(0.8 * meta.width), height: Math.round(0.8 * meta.height) })
    .jpeg()
    .toBuffer()
  const resized = await sharp(cropped).resize(2048).jpeg().toBuffer()
  const layer = await sharp(await readFile(logo))
    .resize(Math.round(2048 * 0.2))
    .png()
    .toBuffer()
  const composed = await sharp(resized)
    .composite([{ input: layer, left: Math.round(2048 * 0.05), top: Math.round(2048 * 0.05) }])
    .jpeg()
    .toBuffer()
  return sharp(composed).webp({ quality: 80 }).toBuffer()
}

/** The same operations fused into one sharp pipeline: what a hand-written script would do. */
async function sharpFused(round: number): Promise<Buffer> {
  const input = await readFile(photo)
  const meta = await sharp(input).metadata()
  const left = Math.round((0.1 + round * 0.001) * meta.width)
  const top = Math.round(0.1 * meta.height)
  const layer = await sharp(await readFile(logo))
    .resize(Math.round(2048 * 0.2))
    .png()
    .toBuffer()
  const resized = await sharp(input)
    .extract({ left, top, width: Math.round(0.8 * meta.width), height: Math.round(0.8 * meta.height) })
    .resize(2048)
    .toBuffer()
  return sharp(resized)
    .composite([{ input: layer, left: Math.round(2048 * 0.05), top: Math.round(2048 * 0.05) }])
    .webp({ quality: 80 })
    .toBuffer()
}

async function timeIt(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

async function runWorkflow(runtime: Runtime, workflow: unknown): Promise<void> {
  const started = await runtime.engine.startRun({ workflow })
  const finished = await runtime.engine.waitForRun(started.orgId, started.id)
  if (finished.status !== 'succeeded') throw new Error(`run ended ${finished.status}: ${finished.error?.message}`)
}

await makeFixtures(parts)
const runtime = await openRuntime(
  {
    dataDir: join(work, 'data'),
    databaseUrl: undefined,
    concurrency: 256,
    perRunConcurrency: Number.POSITIVE_INFINITY,
    fileRoots: [work],
    allowPrivateHosts: [],
  },
  { registry: builtinRegistry, purpose: 'bench' },
)
try {
  console.log(`Patchbay media benchmark · node ${process.version} · ${new Date().toISOString()}`)
  if (parts.includes('image')) await benchImages(runtime)
  if (parts.includes('video')) await benchVideo(runtime)
} finally {
  await runtime.close()
  await rm(work, { recursive: true, force: true })
}

async function benchImages(runtime: Runtime): Promise<void> {
  console.log(`\n4096×4096 JPEG (${mb((await stat(photo)).size)}) → crop 80% → resize 2048 → composite → WebP`)
  await runWorkflow(runtime, imageWorkflow(0)) // warm-up: module loading, first PGlite writes
  await sharpStepwise(0)
  const patchbay: number[] = []
  const stepwise: number[] = []
  const fused: number[] = []
  for (let round = 1; round <= REPEATS; round++) {
    patchbay.push(await timeIt(() => runWorkflow(runtime, imageWorkflow(round))))
    stepwise.push(await timeIt(() => sharpStepwise(round)))
    fused.push(await timeIt(() => sharpFused(round)))
  }
  const p = median(patchbay)
  console.log(`  Patchbay workflow (5 nodes)        ${p.toFixed(0).padStart(6)} ms  (median of ${REPEATS})`)
  console.log(
    `  sharp, step by step                ${median(stepwise).toFixed(0).padStart(6)} ms  →  sharp/Patchbay ${(median(stepwise) / p).toFixed(2)}`,
  )
  console.log(
    `  sharp, one fused pipeline          ${median(fused).toFixed(0).padStart(6)} ms  →  sharp/Patchbay ${(median(fused) / p).toFixed(2)}`,
  )
}

async function benchVideo(runtime: Runtime): Promise<void> {
  console.log(
    `\n1-minute 1080p H.264 video (${mb((await stat(video)).size)}) → trim 10–50 s → resize 1280 → extract frame at 50%`,
  )
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const videoFlow = {
    schemaVersion: 1,
    name: 'video bench',
    nodes: [
      { id: 'load', type: 'video.load', params: { path: video } },
      { id: 'trim', type: 'video.trim', params: { start: 10, end: 50 } },
      { id: 'resize', type: 'video.resize', params: { width: 1280 } },
      { id: 'frame', type: 'video.extractFrame', params: { timestamp: '50%' } },
      { id: 'clip', type: 'output', params: { name: 'clip' } },
      { id: 'still', type: 'output', params: { name: 'still' } },
    ],
    edges: [
      { id: 'a', source: 'load', sourceHandle: 'video', target: 'trim', targetHandle: 'video' },
      { id: 'b', source: 'trim', sourceHandle: 'video', target: 'resize', targetHandle: 'video' },
      { id: 'c', source: 'resize', sourceHandle: 'video', target: 'frame', targetHandle: 'video' },
      { id: 'd', source: 'resize', sourceHandle: 'video', target: 'clip', targetHandle: 'value' },
      { id: 'e', source: 'frame', sourceHandle: 'image', target: 'still', targetHandle: 'value' },
    ],
  }
  const videoMs = await timeIt(() => runWorkflow(runtime, videoFlow))
  clearInterval(sampler)
  console.log(
    `  wall time ${(videoMs / 1000).toFixed(1)} s; this process's RSS ${mb(baseline)} before, peak ${mb(peak)} (+${mb(peak - baseline)})`,
  )
}
