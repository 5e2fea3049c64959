import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, launchChromium, screenshot, watchPage } from './support/browser.ts'
import { ensureWebBuilt, type Patchbay, startPatchbay } from './support/patchbay.ts'

// The built app, served by a real `patchbay start`, opened in Chromium: it renders, with
// nothing failing on the way (a console error, a CSP violation, a 404 asset, an API error).

const withChromium = chromiumSuiteEnabled('web smoke')

describe.skipIf(!withChromium)('web smoke', () => {
  let patchbay: Patchbay
  let browser: Browser
  beforeAll(async () => {
    ensureWebBuilt()
    ;[patchbay, browser] = await Promise.all([startPatchbay(), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await patchbay?.close()
  })

  it('renders the app at / with no console errors and no failed requests', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const problems = watchPage(page)
    const response = await page.goto(patchbay.url, { waitUntil: 'networkidle' })
    expect(response?.status()).toBe(200)
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'")
    // React has mounted something into #root (not the "not built" page, not a blank page).
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0, undefined, {
      timeout: 15_000,
    })
    expect(await page.title()).toMatch(/Patchbay/)
    await screenshot(page, 'smoke-home')
    expect(problems.all()).toEqual([])
    await context.close()
  })

  it('serves client-side routes on reload and keeps unknown API paths JSON', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const deep = await page.goto(`${patchbay.url}/workflows/does-not-exist`)
    expect(deep?.status()).toBe(200)
    expect(deep?.headers()['content-type']).toMatch(/^text\/html/)
    const api = await page.request.get(`${patchbay.url}/api/v1/no-such-route`)
    expect(api.status()).toBe(404)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    await context.close()
  })
})
