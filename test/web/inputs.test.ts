import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, type PageProblems, screenshot, watchPage } from './support/browser.ts'
import { addOpenAIKey, apiCall, nodeById, nodes, seedWorkflow, signedInAs } from './support/journey.ts'
import type { Patchbay } from './support/patchbay.ts'
import { webStackForSuite } from './support/stack.ts'

// Workflow inputs in the canvas (declared in the Inputs panel, asked for by the run dialog) and
// the live Runs and Assets pages (fed by the organisation's event stream, not by reloading).

const withChromium = chromiumSuiteEnabled('web inputs and live pages')

/** Well under the pages' 30 s fallback poll: what arrives this fast came through the stream. */
const live = { timeout: 10_000 }

describe.skipIf(!withChromium)('web inputs and live pages', () => {
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
  afterEach(async (test) => {
    if (page && test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name}`).catch(() => {})
    await context?.close()
  })

  async function signedIn(): Promise<Page> {
    ;({ context, page, problems } = await signedInAs(browser, patchbay.url, `inputs${++users}@example.com`))
    return page
  }

  const inputsPanel = () => page.getByRole('dialog', { name: 'Workflow inputs' })
  const runDialog = () => page.getByRole('dialog', { name: 'Run with inputs' })
  const templateField = () => nodeById(page, 'greet').locator('textarea').first()

  it('declares an input, renames it with its references, and runs with a value typed in the dialog', async () => {
    await signedIn()
    const id = await seedWorkflow(context, patchbay.url, {
      schemaVersion: 1,
      name: 'Greeter',
      nodes: [{ id: 'greet', type: 'text.template', params: { template: 'Hello!' }, position: { x: 0, y: 0 } }],
      edges: [],
    })
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await nodes(page).first().waitFor()

    // Declare `who` with a default, and use it in the template.
    await page.getByRole('button', { name: /^inputs/i }).click()
    await inputsPanel().getByText('No inputs yet').waitFor()
    await inputsPanel().getByRole('button', { name: 'Add input' }).click()
    const name = inputsPanel().getByLabel('Input name')
    await name.fill('who')
    await name.press('Enter')
    await inputsPanel().getByLabel('Default').fill('world')
    await inputsPanel().getByLabel('Description').fill('Whom to greet')
    await page.keyboard.press('Escape')
    await expect.poll(() => inputsPanel().count()).toBe(0)
    await templateField().fill('Hello, {{inputs.who}}!')

    // Renaming the input rewrites the reference in the node's param.
    await page.getByRole('button', { name: /^inputs/i }).click()
    await inputsPanel().getByText('Used by greet').waitFor()
    await inputsPanel().getByLabel('Input name').fill('guest')
    await inputsPanel().getByLabel('Input name').press('Enter')
    await expect.poll(() => templateField().inputValue()).toBe('Hello, {{inputs.guest}}!')
    await screenshot(page, 'inputs-panel')

    // One undo step takes the rename back, reference included; redo repeats it.
    await page.keyboard.press('Escape')
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } })
    await page.keyboard.press('Control+z')
    await expect.poll(() => templateField().inputValue()).toBe('Hello, {{inputs.who}}!')
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => templateField().inputValue()).toBe('Hello, {{inputs.guest}}!')
    await page.getByRole('button', { name: /^inputs/i }).click()

    // A name in use is refused, with a reason.
    await inputsPanel().getByRole('button', { name: 'Add input' }).click()
    const second = inputsPanel().getByLabel('Input name').nth(1)
    await second.fill('guest')
    await second.press('Enter')
    await inputsPanel().getByText('There is already an input "guest"').waitFor()
    await second.fill('unused')
    await second.press('Enter')
    // Deleting an input nothing uses needs no confirmation; one in use asks first.
    await inputsPanel().getByRole('button', { name: 'Delete input unused' }).click()
    await inputsPanel().getByRole('button', { name: 'Delete input guest' }).click()
    await inputsPanel()
      .getByText(/still used by greet/i)
      .waitFor()
    await inputsPanel().getByRole('button', { name: 'Keep it' }).click()
    await page.keyboard.press('Escape')

    // Saved by itself, references and all.
    await expect
      .poll(async () => {
        const saved = await apiCall<{ document: { inputs: Record<string, unknown>; nodes: { params: unknown }[] } }>(
          context,
          patchbay.url,
          'GET',
          `/api/v1/workflows/${id}`,
        )
        return [saved.document.inputs, saved.document.nodes[0]?.params]
      })
      .toEqual([
        { guest: { type: 'text', default: 'world', description: 'Whom to greet' } },
        { template: 'Hello, {{inputs.guest}}!' },
      ])

    // Run asks for the value, prefilled with the default; the output uses what was typed.
    await page.getByRole('button', { name: /^run$/i }).click()
    await runDialog().getByText('Whom to greet').waitFor()
    const value = runDialog().getByLabel(/guest/)
    expect(await value.inputValue()).toBe('world')
    await value.fill('patch bay')
    await screenshot(page, 'inputs-run-dialog')
    await runDialog().getByRole('button', { name: /^run$/i }).click()
    await expect.poll(() => runDialog().count()).toBe(0)
    await nodeById(page, 'greet').getByText('Hello, patch bay!').last().waitFor({ timeout: 30_000 })
    const runs = await apiCall<{ items: { inputs: Record<string, unknown>; status: string }[] }>(
      context,
      patchbay.url,
      'GET',
      `/api/v1/runs?workflowId=${id}`,
    )
    expect(runs.items[0]?.inputs).toEqual({ guest: 'patch bay' })

    // The next run starts from the value used last (remembered in this browser), not the default.
    await page.reload()
    await nodes(page).first().waitFor()
    await page.getByRole('button', { name: /^run$/i }).click()
    expect(await runDialog().getByLabel(/guest/).inputValue()).toBe('patch bay')
    await runDialog().getByRole('button', { name: 'Reset to defaults' }).click()
    expect(await runDialog().getByLabel(/guest/).inputValue()).toBe('world')
    await runDialog().getByRole('button', { name: 'Cancel' }).click()
    await expect.poll(() => runDialog().count()).toBe(0)
    expect(problems.all()).toEqual([])
  }, 120_000)

  it('shows runs and generated assets as they happen, without reloading the page', async () => {
    await signedIn()
    await addOpenAIKey(context, patchbay.url)
    const id = await seedWorkflow(context, patchbay.url, {
      schemaVersion: 1,
      name: 'Live one',
      inputs: { subject: { type: 'text', default: 'a red mug' } },
      nodes: [
        { id: 'prompt', type: 'text.template', params: { template: '{{inputs.subject}}' }, position: { x: 0, y: 0 } },
        { id: 'hold', type: 'util.wait', params: { ms: 1500 }, position: { x: 360, y: 0 } },
        {
          id: 'shot',
          type: 'image.generate',
          params: { model: 'openai/gpt-image-1', size: '1024x1024', n: 1 },
          position: { x: 720, y: 0 },
        },
      ],
      edges: [
        { id: 'e1', source: 'prompt', sourceHandle: 'text', target: 'hold', targetHandle: 'value' },
        { id: 'e2', source: 'hold', sourceHandle: 'value', target: 'shot', targetHandle: 'prompt' },
      ],
    })

    // The Runs page and the Assets page, each in a tab of its own, both empty.
    const runsTab = await context.newPage()
    const runsProblems = watchPage(runsTab)
    const streams: string[] = []
    runsTab.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/events') streams.push(request.url())
    })
    await runsTab.goto(`${patchbay.url}/runs`)
    await runsTab.getByText('No runs yet').waitFor()
    await runsTab.evaluate(() => Object.assign(window, { notReloaded: true }))
    const assetsTab = await context.newPage()
    const assetsProblems = watchPage(assetsTab)
    await assetsTab.goto(`${patchbay.url}/assets`)
    await assetsTab.getByText('No assets yet').waitFor()

    // Run it from the editor, through the dialog.
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await nodes(page).first().waitFor()
    await page.getByRole('button', { name: /^run$/i }).click()
    await runDialog()
      .getByLabel(/subject/)
      .fill('a blue kettle')
    await runDialog().getByRole('button', { name: /^run$/i }).click()

    // The other tabs follow: a running row, then the finished one; the generated image.
    const row = runsTab.getByRole('row').filter({ hasText: 'Live one' })
    await row.getByText('running').waitFor(live)
    await row.getByText('succeeded').waitFor({ timeout: 30_000 })
    await assetsTab.locator('main img').first().waitFor(live)
    expect(await runsTab.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true)
    await screenshot(runsTab, 'inputs-live-runs')
    await screenshot(assetsTab, 'inputs-live-assets')

    // Into the run and back: the tab keeps one stream (shared by the pages, not one each).
    await row.click()
    await runsTab.getByRole('heading', { level: 1, name: 'Live one' }).waitFor()
    await runsTab.getByText('a blue kettle').first().waitFor()
    await runsTab.goBack()
    await row.waitFor()
    expect(streams).toHaveLength(1)

    expect(problems.all()).toEqual([])
    expect(runsProblems.all()).toEqual([])
    expect(assetsProblems.all()).toEqual([])
  }, 120_000)
})
