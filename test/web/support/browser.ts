import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { skipSuite } from '@patchbay/core/testing'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { repoRoot } from '../../support/child-process.ts'

/** Debian's Chromium (`apt-get install chromium`); Playwright's own download does not work offline. */
export const chromiumPath = process.env.PATCHBAY_TEST_CHROMIUM || '/usr/bin/chromium'

/** The flags known to work on the project machines (see ENVIRONMENT.md): headless, no sandbox, no phoning home. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const screenshotDir = join(repoRoot, 'test/web/screenshots')

/**
 * Decides whether a suite that drives Chromium runs. Without the browser the suite is skipped
 * with a console message saying why, or, with `PATCHBAY_TEST_REQUIRE_ALL=1` (CI), this throws
 * so that the test file fails instead of passing silently.
 *
 * @example
 * const withChromium = chromiumSuiteEnabled('web smoke')
 * describe.skipIf(!withChromium)('web smoke', () => { ... })
 */
export function chromiumSuiteEnabled(suite: string): boolean {
  if (existsSync(chromiumPath)) return true
  return skipSuite(
    suite,
    `Chromium is not installed at ${chromiumPath}`,
    'Install it (apt-get install chromium) or point PATCHBAY_TEST_CHROMIUM at one',
  )
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 60_000 })
}

export type Theme = 'light' | 'dark'

/**
 * A fresh browser profile; with `theme`, in that theme both by the system's colour scheme and
 * by the app's own setting (so the app does not follow a default of its own).
 */
export async function newProfile(
  browser: Browser,
  options: { viewport: { width: number; height: number }; theme?: Theme },
): Promise<BrowserContext> {
  const { viewport, theme } = options
  const context = await browser.newContext({ viewport, ...(theme ? { colorScheme: theme } : {}) })
  if (theme) await context.addInitScript((choice) => localStorage.setItem('patchbay.theme', choice), theme)
  return context
}

/** What went wrong on a page: console errors, uncaught exceptions, failed and error-status requests. */
export interface PageProblems {
  consoleErrors: string[]
  pageErrors: string[]
  /** Requests that got no answer (`net::…`) or a status of 400 and above, as `METHOD url → status`. */
  failedRequests: string[]
  /** Everything at once, minus what `allow` matches (an expected 401 while signed out, say). */
  all(allow?: RegExp[]): string[]
}

/** Starts recording a page's problems; read them at the end of a test. */
export function watchPage(page: Page): PageProblems {
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    all(allow = []) {
      return [...this.consoleErrors, ...this.pageErrors, ...this.failedRequests].filter(
        (problem) => !allow.some((pattern) => pattern.test(problem)),
      )
    },
  }
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.pageErrors.push(`page error: ${error.stack ?? error.message}`))
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? 'failed'
    // A stream or a navigation the page itself abandoned (SSE closed on unmount) is not a fault.
    if (reason === 'net::ERR_ABORTED') return
    problems.failedRequests.push(`${request.method()} ${request.url()} → ${reason}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) {
      problems.failedRequests.push(`${response.request().method()} ${response.url()} → ${response.status()}`)
    }
  })
  return problems
}

/** Saves a full-page PNG as test/web/screenshots/<name>.png (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true })
  const path = join(screenshotDir, `${name.replace(/[^\w.-]+/g, '-')}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
