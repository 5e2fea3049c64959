import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, newProfile, screenshot, type Theme, watchPage } from './support/browser.ts'
import { apiCall, nodeById, seedWorkflow, signedInAs } from './support/journey.ts'
import type { Patchbay } from './support/patchbay.ts'
import { webStackForSuite } from './support/stack.ts'

// A tour of every page of the app, in the light and the dark theme at 1280×800: each renders
// its main heading, no error boundary, nothing failing on the way. The screenshots
// (test/web/screenshots/pages-<theme>-<page>.png, gitignored) are for looking at.

const withChromium = chromiumSuiteEnabled('web page tour')
const themes: Theme[] = ['light', 'dark']
const viewport = { width: 1280, height: 800 }

/** What signed-out pages legitimately see: `GET /me` answering 401. */
const signedOutNoise = [/\/api\/v1\/me → 401$/, /status of 401/]

const tourWorkflow = {
  schemaVersion: 1,
  name: 'Tour: patch notes',
  description: 'A template fed by a workflow input.',
  inputs: { topic: { type: 'text', default: 'patch cables', description: 'What the note is about' } },
  nodes: [
    {
      id: 'note',
      type: 'text.template',
      params: { template: 'A short note about {{inputs.topic}}.' },
      position: { x: 0, y: 0 },
    },
    { id: 'out', type: 'output', params: { name: 'note' }, position: { x: 380, y: 0 } },
  ],
  edges: [{ id: 'e1', source: 'note', sourceHandle: 'text', target: 'out', targetHandle: 'value' }],
}

describe.skipIf(!withChromium)('web page tour', () => {
  let patchbay: Patchbay
  let browser: Browser
  /** The page being looked at, for a screenshot when a step fails. */
  let current: Page | undefined

  webStackForSuite({}, (stack) => {
    patchbay = stack.patchbay
    browser = stack.browser
  })
  afterEach(async (test) => {
    if (current && test.task.result?.state === 'fail') {
      await screenshot(current, `failed-${test.task.name}`).catch(() => {})
    }
    current = undefined
  })

  /** Opens `path`, waits for its main heading and for loading to settle, checks it, saves a screenshot. */
  async function visit(page: Page, theme: Theme, path: string, heading: RegExp, shot: string): Promise<void> {
    current = page
    await page.goto(`${patchbay.url}${path}`)
    await page.getByRole('heading', { level: 1, name: heading }).first().waitFor({ timeout: 15_000 })
    await settle(page)
    expect(await page.locator('html').getAttribute('class')).toContain(theme)
    expect(await page.getByText('This page ran into a problem').count()).toBe(0)
    await screenshot(page, `pages-${theme}-${shot}`)
  }

  /**
   * No spinner or skeleton left: the page shows its data or its empty state. (Not "network
   * idle": the live-events stream stays open.)
   */
  async function settle(page: Page): Promise<void> {
    await page.waitForFunction(
      () => !document.querySelector('.pb-skeleton, [role="status"][aria-busy="true"], .animate-spin'),
      undefined,
      { timeout: 10_000 },
    )
    await page.waitForTimeout(250) // pop-in animations
  }

  for (const theme of themes) {
    it(`visits every page in the ${theme} theme`, async () => {
      const { context, page, problems } = await signedInAs(browser, patchbay.url, `tour-${theme}@example.com`, {
        viewport,
        theme,
      })

      // A new organisation: every list is empty.
      await visit(page, theme, '/', /workflows/i, 'workflows-empty')
      await visit(page, theme, '/runs', /^runs$/i, 'runs-empty')
      await visit(page, theme, '/assets', /assets/i, 'assets-empty')

      // Then something in each: a workflow with an input, a finished run of it, an uploaded image.
      const workflowId = await seedWorkflow(context, patchbay.url, tourWorkflow)
      const run = await apiCall<{ id: string; status: string }>(context, patchbay.url, 'POST', '/api/v1/runs?wait=30', {
        workflowId,
        inputs: { topic: 'modular synths' },
      })
      expect(run.status).toBe('succeeded')
      const png = await sharp({
        create: { width: 320, height: 200, channels: 3, background: { r: 99, g: 102, b: 241 } },
      })
        .png()
        .toBuffer()
      const upload = await context.request.post(`${patchbay.url}/api/v1/assets`, {
        multipart: { file: { name: 'swatch.png', mimeType: 'image/png', buffer: png } },
      })
      expect(upload.status()).toBe(201)

      await visit(page, theme, '/', /workflows/i, 'workflows')
      current = page
      await page.goto(`${patchbay.url}/workflows/${workflowId}`)
      await nodeById(page, 'note').getByText('A short note about modular synths.').first().waitFor({ timeout: 15_000 })
      await settle(page)
      expect(await page.getByText('This page ran into a problem').count()).toBe(0)
      await screenshot(page, `pages-${theme}-editor-run`)
      await page.getByRole('button', { name: /^inputs/i }).click()
      await page.getByRole('dialog', { name: 'Workflow inputs' }).waitFor()
      await settle(page)
      await screenshot(page, `pages-${theme}-editor-inputs`)
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: /^run$/i }).click()
      await page.getByRole('dialog', { name: 'Run with inputs' }).waitFor()
      await settle(page)
      await screenshot(page, `pages-${theme}-editor-run-dialog`)
      await page.getByRole('button', { name: 'Cancel' }).click()

      await visit(page, theme, '/runs', /^runs$/i, 'runs')
      await visit(page, theme, `/runs/${run.id}`, /tour: patch notes/i, 'run-detail')
      await page.getByRole('button', { name: /note/ }).first().click()
      await settle(page)
      await screenshot(page, `pages-${theme}-run-detail-node`)
      await visit(page, theme, '/assets', /assets/i, 'assets')

      // Every settings tab the owner sees (the list grows: read it from the page).
      await visit(page, theme, '/settings', /settings/i, 'settings')
      const tabs = await page
        .locator('main nav a[href^="/settings/"]')
        .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''))
      expect(tabs.length).toBeGreaterThanOrEqual(3)
      for (const tab of tabs) await visit(page, theme, tab, /settings/i, `settings-${tab.split('/').pop()}`)

      await visit(page, theme, '/no-such-page', /page not found/i, 'not-found')
      expect(problems.all()).toEqual([])

      // Signed out: sign-in, sign-up and an invitation link.
      const invitation = await apiCall<{ token: string }>(context, patchbay.url, 'POST', '/api/v1/invitations', {
        email: `guest-${theme}@example.com`,
        role: 'editor',
      })
      const visitor = await newProfile(browser, { viewport, theme })
      const outside = await visitor.newPage()
      const outsideProblems = watchPage(outside)
      await visit(outside, theme, '/sign-in', /sign in/i, 'sign-in')
      await visit(outside, theme, '/sign-up', /create your account/i, 'sign-up')
      await visit(outside, theme, `/invite?token=${invitation.token}`, /invited/i, 'invite')
      expect(outsideProblems.all(signedOutNoise)).toEqual([])

      await visitor.close()
      await context.close()
    }, 120_000)
  }
})
