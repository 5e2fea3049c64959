import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, type PageProblems, screenshot, type Theme } from './support/browser.ts'
import { addOpenAIKey, apiCall, seedWorkflow, signedInAs } from './support/journey.ts'
import type { Patchbay } from './support/patchbay.ts'
import { webStackForSuite } from './support/stack.ts'

// Settings → Usage with real spend: a `patchbay start` with a loopback OpenAI, workflows run
// through the API (the model calls priced from the catalog), then the tab in Chromium, in the
// light and the dark theme. Screenshots: test/web/screenshots/usage-<theme>[-empty].png.

const withChromium = chromiumSuiteEnabled('web usage')
const themes: Theme[] = ['light', 'dark']

function chatWorkflow(name: string, model: string) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'prompt', type: 'input.text', params: { value: `Write a tagline for ${name}` }, position: { x: 0, y: 0 } },
      { id: 'chat', type: 'llm.chat', params: { model, cache: false }, position: { x: 320, y: 0 } },
      { id: 'reply', type: 'output', params: { name: 'reply' }, position: { x: 640, y: 0 } },
    ],
    edges: [
      { id: 'e1', source: 'prompt', sourceHandle: 'text', target: 'chat', targetHandle: 'prompt' },
      { id: 'e2', source: 'chat', sourceHandle: 'text', target: 'reply', targetHandle: 'value' },
    ],
  }
}

/** Two images a run at the catalog's $0.042 each. */
function imageWorkflow(name: string) {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'prompt', type: 'text.template', params: { template: 'a red mug on a desk' }, position: { x: 0, y: 0 } },
      {
        id: 'shot',
        type: 'image.generate',
        params: { model: 'openai/gpt-image-1', size: '1024x1024', n: 2 },
        position: { x: 360, y: 0 },
      },
    ],
    edges: [{ id: 'e1', source: 'prompt', sourceHandle: 'text', target: 'shot', targetHandle: 'prompt' }],
  }
}

/** The app's `formatCost`: four decimals below $100. */
function dollars(cost: number): string {
  if (cost === 0) return '$0'
  if (cost < 0.0001) return '<$0.0001'
  return cost >= 100 ? `$${cost.toFixed(2)}` : `$${cost.toFixed(4)}`
}

describe.skipIf(!withChromium)('web usage', () => {
  let patchbay: Patchbay
  let browser: Browser
  let context: BrowserContext | undefined
  let page: Page | undefined
  let problems: PageProblems
  let users = 0

  webStackForSuite({ withOpenAI: true }, (stack) => {
    patchbay = stack.patchbay
    browser = stack.browser
  })
  afterEach(async (test) => {
    if (page && test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name}`).catch(() => {})
    await context?.close()
    context = undefined
    page = undefined
  })

  /** A new user (an organisation of their own) in a browser profile with the theme set. */
  async function signedIn(theme: Theme): Promise<Page> {
    const user = await signedInAs(browser, patchbay.url, `usage${++users}@example.com`, {
      // Tall enough for the whole tab in one screenshot (the layout scrolls inside, not the page).
      viewport: { width: 1280, height: 1400 },
      theme,
    })
    ;({ context, page, problems } = user)
    return user.page
  }

  /** Waits until the tab shows data or its empty state (no skeleton, no spinner). */
  async function settled(page: Page): Promise<void> {
    await page.getByRole('heading', { name: 'Usage', exact: true }).waitFor({ timeout: 15_000 })
    await page.waitForFunction(() => !document.querySelector('.pb-skeleton, .animate-spin'), undefined, {
      timeout: 15_000,
    })
  }

  for (const theme of themes) {
    it(`shows the spend, the runs and the model row of priced runs (${theme})`, async () => {
      const page = await signedIn(theme)
      const ctx = context as BrowserContext
      await addOpenAIKey(ctx, patchbay.url)
      const taglines = await seedWorkflow(ctx, patchbay.url, chatWorkflow('Taglines', 'openai/gpt-4o-mini'))
      const summaries = await seedWorkflow(ctx, patchbay.url, chatWorkflow('Summaries', 'openai/gpt-4.1-mini'))
      const shots = await seedWorkflow(ctx, patchbay.url, imageWorkflow('Product shots'))
      let spent = 0
      for (const workflowId of [taglines, shots, taglines, taglines, summaries, shots]) {
        const run = await apiCall<{ status: string; cost: number }>(ctx, patchbay.url, 'POST', '/api/v1/runs?wait=30', {
          workflowId,
        })
        expect(run.status).toBe('succeeded')
        expect(run.cost).toBeGreaterThan(0)
        spent += run.cost
      }

      // From the sidebar: Settings, then the Usage tab; the answer held back a moment, to see
      // that the placeholder has the shape of what replaces it.
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      await page.route('**/api/v1/usage?*', async (route) => {
        await held
        await route.continue()
      })
      await page.goto(`${patchbay.url}/settings`)
      await page.getByRole('link', { name: 'Usage', exact: true }).click()
      await page.waitForURL(/\/settings\/usage$/)
      const chart = page.getByTestId('usage-panel')
      await chart.waitFor()
      const loading = await chart.boundingBox()
      await screenshot(page, `usage-${theme}-loading`)
      release()
      await settled(page)
      const loaded = await chart.boundingBox()
      expect({ y: loaded?.y, height: loaded?.height }).toEqual({ y: loading?.y, height: loading?.height })
      await page.unroute('**/api/v1/usage?*')

      expect(await page.getByText(dollars(spent), { exact: true }).count()).toBeGreaterThan(0)
      await page.getByText('6 succeeded').waitFor()
      const model = page.locator('tr[data-model="openai/gpt-4o-mini"]')
      await model.waitFor()
      expect(await model.locator('td').nth(1).textContent()).toBe('openai')
      expect(await model.locator('td').nth(2).textContent()).toBe('3')
      await page.locator('tr[data-model="openai/gpt-4.1-mini"]').waitFor()
      // The image model spent the most, so it comes first: 2 runs × 2 images × $0.042.
      const first = page.locator('tr[data-model]').first()
      expect(await first.getAttribute('data-model')).toBe('openai/gpt-image-1')
      expect(await first.locator('td').nth(3).textContent()).toBe('$0.1680')
      const link = page.getByRole('link', { name: 'Taglines' })
      expect(await link.getAttribute('href')).toBe(`/workflows/${taglines}`)
      // 30 days of bars; today's is the only one with a height above a hairline.
      expect(await page.getByTestId('usage-bar').count()).toBe(30)
      expect(await page.locator('html').getAttribute('class')).toContain(theme)
      await screenshot(page, `usage-${theme}`)

      // The chart by runs, and the tooltip of today's bar.
      await page.getByRole('button', { name: 'Runs', exact: true }).click()
      expect(await page.getByRole('button', { name: 'Runs', pressed: true }).count()).toBe(1)
      await page.getByTestId('usage-bar').last().hover()
      await page.getByRole('tooltip').filter({ hasText: '6 runs' }).waitFor()
      await screenshot(page, `usage-${theme}-runs-hover`)

      // Seven days, then a custom period long ago: nothing ran then.
      await page.getByRole('button', { name: 'Last 7 days' }).click()
      await expect.poll(() => page.getByTestId('usage-bar').count()).toBe(7)
      await page.goto(`${patchbay.url}/settings/usage?from=2020-01-01&to=2020-01-31`)
      await settled(page)
      await page.getByText('No runs in this period').waitFor()
      expect(await page.getByRole('button', { name: 'Custom', pressed: true }).count()).toBe(1)
      expect(problems.all()).toEqual([])
    }, 120_000)

    it(`shows an empty state to a new organisation (${theme})`, async () => {
      const page = await signedIn(theme)
      await page.goto(`${patchbay.url}/settings/usage?period=7d`)
      await settled(page)
      await page.getByText('No runs in this period').waitFor()
      await screenshot(page, `usage-${theme}-empty`)
      expect(problems.all()).toEqual([])
    }, 60_000)
  }
})
