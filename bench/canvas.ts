/**
 * Canvas benchmark: the built web app, served by a real `patchbay start`, in headless Chromium.
 *
 *  1. time to interactive on a 500-node workflow: from navigation to every node in the DOM, and
 *     then until a click on a node selects it;
 *  2. frames per second while dragging one node for ~2 s with real mouse moves
 *     (requestAnimationFrame callbacks counted in the page);
 *  3. the JavaScript the app ships, gzipped: what index.html loads first, and all chunks.
 *
 *   npm run bench:canvas
 *   PATCHBAY_BENCH_NODES=1000 PATCHBAY_BENCH_DRAG_MS=3000 npm run bench:canvas
 *
 * Headless Chromium here renders without a GPU, so the frame rate is a floor, not what a
 * desktop browser shows; compare runs on the same machine.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Page } from 'playwright-core'
import { launchChromium } from '../test/web/support/browser.ts'
import { ensureWebBuilt, startPatchbay, webDist } from '../test/web/support/patchbay.ts'

const NODES = Number(process.env.PATCHBAY_BENCH_NODES ?? 500)
const DRAG_MS = Number(process.env.PATCHBAY_BENCH_DRAG_MS ?? 2000)
const COLUMNS = 25

/**
 * A long, wide graph: rows of chains `input.text → text.template → … → output`, with a
 * `util.wait` every fifth column and a `text.join` every seventh that also takes the row above.
 */
function bigWorkflow(count: number) {
  const rows = Math.ceil(count / COLUMNS)
  const nodes: { id: string; type: string; params: Record<string, unknown>; position: { x: number; y: number } }[] = []
  const edges: { id: string; source: string; sourceHandle: string; target: string; targetHandle: string }[] = []
  const outHandle: Record<string, string> = {}
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < COLUMNS && nodes.length < count; col++) {
      const id = `n${row}_${col}`
      const last = col === COLUMNS - 1 || nodes.length === count - 1
      const position = { x: col * 320, y: row * 240 }
      if (col === 0) {
        nodes.push({ id, type: 'input.text', params: { value: `row ${row}` }, position })
        outHandle[id] = 'text'
        continue
      }
      const previous = `n${row}_${col - 1}`
      const link = (target: string, targetHandle: string, source = previous) =>
        edges.push({
          id: `e${edges.length}`,
          source,
          sourceHandle: outHandle[source] as string,
          target,
          targetHandle,
        })
      if (last) {
        nodes.push({ id, type: 'output', params: { name: `row${row}` }, position })
        link(id, 'value')
      } else if (col % 7 === 0) {
        nodes.push({ id, type: 'text.join', params: { separator: ' + ' }, position })
        outHandle[id] = 'text'
        link(id, 'texts')
        if (row > 0) link(id, 'texts', `n${row - 1}_${col - 1}`)
      } else if (col % 5 === 0) {
        nodes.push({ id, type: 'util.wait', params: { ms: 1 }, position })
        outHandle[id] = 'value'
        link(id, 'value')
      } else {
        nodes.push({ id, type: 'text.template', params: { template: `{{text}} ${col}` }, position })
        outHandle[id] = 'text'
        link(id, 'text')
      }
    }
  }
  return { schemaVersion: 1, name: `bench: ${count} nodes`, nodes, edges }
}

interface Load {
  nodesInDomMs: number
  clickResponseMs: number
  interactiveMs: number
  renderedNodes: number
}

async function measureLoad(page: Page, url: string, expected: number): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' })
  // React Flow may render only what is on screen; wait until the count settles above zero.
  const settled = page.waitForFunction(
    (want) => {
      const count = document.querySelectorAll('.react-flow__node').length
      const w = window as unknown as { __pbLast?: number; __pbStable?: number }
      w.__pbStable = count > 0 && count === w.__pbLast ? (w.__pbStable ?? 0) + 1 : 0
      w.__pbLast = count
      return count >= want || (w.__pbStable ?? 0) >= 5
    },
    expected,
    { polling: 100, timeout: Number(process.env.PATCHBAY_BENCH_LOAD_TIMEOUT_MS ?? 120_000) },
  )
  await settled.catch((error: unknown) => {
    throw new Error(`no React Flow nodes appeared at ${url} (is the editor built?): ${String(error)}`)
  })
  const nodesInDomMs = await page.evaluate(() => performance.now())
  const renderedNodes = await page.locator('.react-flow__node').count()
  const before = await page.evaluate(() => performance.now())
  const grip = await gripOf(page)
  await page.mouse.click(grip.x, grip.y)
  await page.locator('.react-flow__node.selected').first().waitFor({ timeout: 30_000 })
  const after = await page.evaluate(() => performance.now())
  return { nodesInDomMs, clickResponseMs: after - before, interactiveMs: after, renderedNodes }
}

/**
 * A point on the first node's title bar: on the card, but not on a control that swallows the
 * pointer (fields are `nodrag`). The canvas fits 500 nodes by zooming out, so cards are small.
 */
async function gripOf(page: Page): Promise<{ x: number; y: number }> {
  const node = page.locator('.react-flow__node').first()
  const box = await node.boundingBox()
  if (!box) throw new Error('no node on screen')
  const title = await node.locator('.pb-node > div').first().boundingBox()
  const bar = title ?? { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, 20) }
  return { x: bar.x + bar.width / 2, y: bar.y + bar.height / 2 }
}

async function measureDrag(page: Page): Promise<{ fps: number; frames: number; moved: boolean }> {
  const node = page.locator('.react-flow__node').first()
  const transformBefore = await node.evaluate((element) => (element as HTMLElement).style.transform)
  // A string, not a function: tsx wraps named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__pbFrames = 0
    window.__pbCounting = true
    const tick = () => {
      if (!window.__pbCounting) return
      window.__pbFrames++
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
  const { x: x0, y: y0 } = await gripOf(page)
  await page.mouse.move(x0, y0)
  await page.mouse.down()
  const started = Date.now()
  let step = 0
  while (Date.now() - started < DRAG_MS) {
    step++
    // A slow circle, so the node stays in view.
    await page.mouse.move(x0 + 150 * Math.sin(step / 15), y0 + 100 * (1 - Math.cos(step / 15)))
  }
  await page.mouse.up()
  const elapsed = Date.now() - started
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __pbFrames: number; __pbCounting: boolean }
    w.__pbCounting = false
    return w.__pbFrames
  })
  const transformAfter = await node.evaluate((element) => (element as HTMLElement).style.transform)
  return { fps: (frames * 1000) / elapsed, frames, moved: transformAfter !== transformBefore }
}

async function bundleSizes(): Promise<{ initialGzip: number; allGzip: number; allRaw: number; chunks: number }> {
  const assets = join(webDist, 'assets')
  const files = (await readdir(assets)).filter((file) => file.endsWith('.js'))
  const html = await readFile(join(webDist, 'index.html'), 'utf8')
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1] as string),
  )
  let initialGzip = 0
  let allGzip = 0
  let allRaw = 0
  for (const file of files) {
    const bytes = await readFile(join(assets, file))
    const zipped = gzipSync(bytes, { level: 9 }).length
    allRaw += bytes.length
    allGzip += zipped
    if (initial.has(file)) initialGzip += zipped
  }
  return { initialGzip, allGzip, allRaw, chunks: files.length }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

async function main() {
  ensureWebBuilt()
  const bundle = await bundleSizes()
  const patchbay = await startPatchbay()
  const browser = await launchChromium()
  try {
    const document = bigWorkflow(NODES)
    const saved = await patchbay.client().workflows.create(document)
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const pageErrors: string[] = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    const load = await measureLoad(page, `${patchbay.url}/workflows/${saved.id}`, NODES)
    const drag = await measureDrag(page)

    const rows: [string, string][] = [
      ['workflow', `${document.nodes.length} nodes, ${document.edges.length} edges`],
      ['nodes in the DOM', `${load.renderedNodes} after ${load.nodesInDomMs.toFixed(0)} ms`],
      ['click → selected', `${load.clickResponseMs.toFixed(0)} ms`],
      ['time to interactive', `${load.interactiveMs.toFixed(0)} ms`],
      [
        `drag ${(DRAG_MS / 1000).toFixed(1)} s`,
        `${drag.fps.toFixed(1)} fps (${drag.frames} frames)${drag.moved ? '' : ' — the node did not move!'}`,
      ],
      ['JS loaded first (gzip)', kb(bundle.initialGzip)],
      ['JS all chunks (gzip)', `${kb(bundle.allGzip)} in ${bundle.chunks} files (${kb(bundle.allRaw)} raw)`],
    ]
    const width = Math.max(...rows.map(([name]) => name.length))
    console.log(`\ncanvas benchmark (headless Chromium, no GPU)\n`)
    for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`)
    if (pageErrors.length > 0) console.log(`\n  page errors:\n    ${pageErrors.join('\n    ')}`)
    console.log()
    await page.close()
  } finally {
    await browser.close()
    await patchbay.close()
  }
}

await main()
