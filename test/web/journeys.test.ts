import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, type PageProblems, screenshot, watchPage } from './support/browser.ts'
import {
  acceptInvitation,
  addOpenAIKey,
  apiCall,
  connect,
  edges,
  handle,
  inviteViewer,
  nodeById,
  nodeOfType,
  nodes,
  palette,
  paletteItem,
  password,
  seedWorkflow,
  signedInAs,
  workflowIdOf,
} from './support/journey.ts'
import type { Patchbay } from './support/patchbay.ts'
import { webStackForSuite } from './support/stack.ts'

// What a person does in the canvas, end to end: a real `patchbay start` (sign-in required),
// a loopback OpenAI, the built app in Chromium. Selectors are roles and visible text, React
// Flow's own classes and attributes (.react-flow__node[data-id], .react-flow__handle
// [data-handleid]), and the palette as the UI labels it: the region named "Node palette" whose
// entries carry data-node-type="<type>" (disabled for viewers).

/** What a signed-out page legitimately sees: `GET /me` answering 401 before the redirect to /sign-in. */
const signedOutNoise = [/\/api\/v1\/me → 401$/, /status of 401/]

const withChromium = chromiumSuiteEnabled('web journeys')

/** A journey: a browser session long enough for sign-up, building and a run. */
function journey(name: string, body: () => Promise<void>, timeout = 90_000) {
  it(name, body, timeout)
}

const runUpTo30s = { timeout: 30_000 }

describe.skipIf(!withChromium)('web journeys', () => {
  let patchbay: Patchbay
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let problems: PageProblems
  let users = 0

  webStackForSuite({ withOpenAI: true }, (stack) => {
    patchbay = stack.patchbay
    browser = stack.browser
  })

  /** A fresh browser profile signed in as a new user with an OpenAI key in their vault. */
  async function signedIn(): Promise<Page> {
    ;({ context, page, problems } = await signedInAs(browser, patchbay.url, `user${++users}@example.com`, {
      prepare: (profile) => addOpenAIKey(profile, patchbay.url),
    }))
    return page
  }

  async function openWorkflow(document: object): Promise<string> {
    const id = await seedWorkflow(context, patchbay.url, document)
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await nodes(page).first().waitFor()
    return id
  }

  afterEach(async (test) => {
    if (page && test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name}`).catch(() => {})
    await context?.close()
  })

  journey('signs up through the form, creates a workflow, signs in again after a redirect', async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    page = await context.newPage()
    problems = watchPage(page)

    await page.goto(patchbay.url)
    await page.waitForURL(/\/sign-in/)
    await page.getByRole('link', { name: /create one|sign up/i }).click()
    await page.waitForURL(/\/sign-up/)
    await page.getByLabel(/name/i).fill('Grace')
    await page.getByLabel(/email/i).fill('grace@example.com')
    await page.getByLabel(/password/i).fill(password)
    await page.getByRole('button', { name: /sign up|create account/i }).click()
    await page.waitForURL((url) => url.pathname === '/')
    await page
      .getByRole('heading', { name: /workflows/i })
      .first()
      .waitFor()
    await screenshot(page, 'journey-signed-up')

    await page
      .getByRole('button', { name: /new workflow/i })
      .first()
      .click()
    await page.waitForURL(/\/workflows\/[^/]+$/)
    const id = workflowIdOf(page)
    const saved = await apiCall<{ id: string }>(context, patchbay.url, 'GET', `/api/v1/workflows/${id}`)
    expect(saved.id).toBe(id)

    // A new browser profile is sent to sign in and comes back to the workflow it asked for.
    const second = await browser.newContext()
    const again = await second.newPage()
    const againProblems = watchPage(again)
    await again.goto(`${patchbay.url}/workflows/${id}`)
    await again.waitForURL(/\/sign-in\?next=/)
    await again.getByLabel(/email/i).fill('grace@example.com')
    await again.getByLabel(/password/i).fill(password)
    await again.getByRole('button', { name: /^sign in$/i }).click()
    await again.waitForURL((url) => url.pathname === `/workflows/${id}`)
    await second.close()

    expect(problems.all(signedOutNoise)).toEqual([])
    expect(againProblems.all(signedOutNoise)).toEqual([])
  })

  journey('signs up, builds prompt → LLM from the palette, runs it, undoes, redoes and reloads', async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
    page = await context.newPage()
    problems = watchPage(page)

    await page.goto(`${patchbay.url}/sign-up`)
    await page.getByLabel(/name/i).fill('Ada')
    await page.getByLabel(/email/i).fill('ada@example.com')
    await page.getByLabel(/password/i).fill(password)
    await page.getByRole('button', { name: /sign up|create account/i }).click()
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'))
    await addOpenAIKey(context, patchbay.url)

    await page
      .getByRole('button', { name: /new workflow/i })
      .first()
      .click()
    await page.waitForURL(/\/workflows\/[^/]+$/)
    const id = workflowIdOf(page)
    const pane = page.locator('.react-flow__pane')
    await pane.waitFor()

    await paletteItem(page, 'text.template').dragTo(pane, { targetPosition: { x: 250, y: 250 } })
    await paletteItem(page, 'llm.chat').dragTo(pane, { targetPosition: { x: 700, y: 250 } })
    await expect.poll(() => nodes(page).count()).toBe(2)
    const template = nodeOfType(page, 'text.template')
    const llm = nodeOfType(page, 'llm.chat')
    await template.locator('textarea').first().fill('Tell me about patch cables')
    await llm.locator('select').first().selectOption('openai/gpt-4.1-mini')

    await connect(page, handle(template, 'source', 'text'), handle(llm, 'target', 'prompt'))
    await expect.poll(() => edges(page).count()).toBe(1)
    await screenshot(page, 'journey-built')

    await page.getByRole('button', { name: /^run( workflow)?$/i }).click()
    await llm.getByText('echo: Tell me about patch cables').waitFor(runUpTo30s)
    await llm.getByText('done', { exact: true }).waitFor()
    await screenshot(page, 'journey-ran')

    // Undo the wire, redo it (the canvas has focus, not a text field).
    await pane.click({ position: { x: 40, y: 40 } })
    await page.keyboard.press('Control+z')
    await expect.poll(() => edges(page).count()).toBe(0)
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => edges(page).count()).toBe(1)

    // Saved by itself: after a reload everything is still there.
    await expect
      .poll(async () => {
        const saved = await apiCall<{ document: { nodes: unknown[]; edges: unknown[] } }>(
          context,
          patchbay.url,
          'GET',
          `/api/v1/workflows/${id}`,
        )
        return [saved.document.nodes.length, saved.document.edges.length]
      })
      .toEqual([2, 1])
    await page.reload()
    await nodes(page).first().waitFor()
    expect(await nodes(page).count()).toBe(2)
    expect(await edges(page).count()).toBe(1)
    expect(problems.all(signedOutNoise)).toEqual([])
  })

  journey('runs an image workflow and shows the image in the node', async () => {
    await signedIn()
    await openWorkflow({
      schemaVersion: 1,
      name: 'Image journey',
      nodes: [
        { id: 'prompt', type: 'text.template', params: { template: 'a red mug' }, position: { x: 0, y: 0 } },
        {
          id: 'shot',
          type: 'image.generate',
          params: { model: 'openai/gpt-image-1', size: '1024x1024', n: 1 },
          position: { x: 360, y: 0 },
        },
      ],
      edges: [{ id: 'e1', source: 'prompt', sourceHandle: 'text', target: 'shot', targetHandle: 'prompt' }],
    })
    await page.getByRole('button', { name: /^run( workflow)?$/i }).click()
    const image = nodeById(page, 'shot').locator('img').first()
    await image.waitFor(runUpTo30s)
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true)
    await screenshot(page, 'journey-image')
    expect(problems.all()).toEqual([])
  })

  journey('runs only the selected node (and what it needs)', async () => {
    await signedIn()
    await openWorkflow({
      schemaVersion: 1,
      name: 'Run selected',
      nodes: [
        { id: 'left', type: 'text.template', params: { template: 'left side' }, position: { x: 0, y: 0 } },
        { id: 'right', type: 'text.template', params: { template: 'right side' }, position: { x: 0, y: 400 } },
      ],
      edges: [],
    })
    await nodeById(page, 'left').locator('.pb-node > div').first().click()
    await page.getByRole('button', { name: /run selected/i }).click()
    await nodeById(page, 'left').getByText('left side').last().waitFor(runUpTo30s)
    await nodeById(page, 'left').getByText('done', { exact: true }).waitFor()
    expect(await nodeById(page, 'right').getByText('Not run yet').count()).toBe(1)
    expect(problems.all()).toEqual([])
  })

  journey('cancels a running workflow', async () => {
    await signedIn()
    const id = await openWorkflow({
      schemaVersion: 1,
      name: 'Cancel me',
      nodes: [
        { id: 'start', type: 'input.text', params: { value: 'x' }, position: { x: 0, y: 0 } },
        { id: 'wait', type: 'util.wait', params: { ms: 60_000 }, position: { x: 360, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'text', target: 'wait', targetHandle: 'value' }],
    })
    await page.getByRole('button', { name: /^run( workflow)?$/i }).click()
    await nodeById(page, 'wait').getByText('running', { exact: true }).waitFor(runUpTo30s)
    await page.getByRole('button', { name: /^(cancel|stop)( run)?$/i }).click()
    await nodeById(page, 'wait').getByText('canceled', { exact: true }).waitFor(runUpTo30s)
    const runs = await apiCall<{ items: { status: string }[] }>(
      context,
      patchbay.url,
      'GET',
      `/api/v1/runs?workflowId=${id}`,
    )
    expect(runs.items.map((run) => run.status)).toEqual(['canceled'])
    await screenshot(page, 'journey-canceled')
  })

  journey('refuses a connection between incompatible types', async () => {
    await signedIn()
    await openWorkflow({
      schemaVersion: 1,
      name: 'Refused',
      nodes: [
        { id: 'words', type: 'input.text', params: { value: 'not an image' }, position: { x: 0, y: 0 } },
        { id: 'crop', type: 'image.crop', params: {}, position: { x: 420, y: 0 } },
        { id: 'ok', type: 'text.template', params: { template: '{{text}}' }, position: { x: 420, y: 420 } },
      ],
      edges: [],
    })
    // A compatible wire connects (so the refusal below is the canvas saying no, not a missed drag).
    await connect(
      page,
      handle(nodeById(page, 'words'), 'source', 'text'),
      handle(nodeById(page, 'ok'), 'target', 'text'),
    )
    await expect.poll(() => edges(page).count()).toBe(1)
    await connect(
      page,
      handle(nodeById(page, 'words'), 'source', 'text'),
      handle(nodeById(page, 'crop'), 'target', 'image'),
    )
    await page.waitForTimeout(300)
    expect(await edges(page).count()).toBe(1)
    expect(problems.pageErrors).toEqual([])
  })

  journey('shows a viewer the workflow read-only', async () => {
    await signedIn()
    const owner = context
    const id = await seedWorkflow(owner, patchbay.url, {
      schemaVersion: 1,
      name: 'Look, do not touch',
      nodes: [
        { id: 'a', type: 'text.template', params: { template: 'hello' }, position: { x: 0, y: 0 } },
        { id: 'b', type: 'output', params: { name: 'out' }, position: { x: 400, y: 0 } },
      ],
      edges: [{ id: 'e1', source: 'a', sourceHandle: 'text', target: 'b', targetHandle: 'value' }],
    })
    const invitation = await inviteViewer(owner, patchbay.url, 'viewer@example.com')
    await owner.close()

    ;({ context, page, problems } = await signedInAs(browser, patchbay.url, 'viewer@example.com', {
      prepare: (viewer) => acceptInvitation(viewer, patchbay.url, invitation),
    }))
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await nodes(page).first().waitFor()

    await page
      .getByText(/read-only|view only/i)
      .first()
      .waitFor()
    const enabledPaletteItems = await palette(page)
      .locator('[data-node-type]')
      .evaluateAll((items) => items.filter((item) => !(item as HTMLButtonElement).disabled).length)
    expect(enabledPaletteItems).toBe(0)
    expect(await page.locator('.react-flow__node.draggable').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^run( workflow)?$/i }).isDisabled()).toBe(true)
    expect(await nodeById(page, 'a').locator('textarea').first().isDisabled()).toBe(true)
    await nodeById(page, 'a').click()
    await page.keyboard.press('Delete')
    await page.waitForTimeout(200)
    expect(await nodes(page).count()).toBe(2)
    await screenshot(page, 'journey-viewer')
    expect(problems.pageErrors).toEqual([])
  })
})
