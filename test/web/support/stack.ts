import { startFakeOpenAI } from '@patchbay/providers/testing'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { launchChromium } from './browser.ts'
import { ensureWebBuilt, type Patchbay, startPatchbay } from './patchbay.ts'

/** What a browser suite runs against: the built app served by Patchbay, and Chromium. */
export interface WebStack {
  patchbay: Patchbay
  browser: Browser
  close(): Promise<void>
}

/**
 * Builds the web app when its sources changed, then starts Patchbay with sign-in required
 * (and, with `withOpenAI`, pointed at a loopback OpenAI, no key from the environment) and
 * Chromium, together.
 */
export async function startWebStack(options: { withOpenAI?: boolean } = {}): Promise<WebStack> {
  ensureWebBuilt()
  const openai = options.withOpenAI ? await startFakeOpenAI() : undefined
  const env: NodeJS.ProcessEnv = openai
    ? { PATCHBAY_LOCAL_MODE: 'off', OPENAI_BASE_URL: `${openai.url}/v1`, OPENAI_API_KEY: '' }
    : { PATCHBAY_LOCAL_MODE: 'off' }
  const [patchbay, browser] = await Promise.all([startPatchbay({ env }), launchChromium()])
  return {
    patchbay,
    browser,
    async close() {
      await browser.close()
      await patchbay.close()
      await openai?.close()
    },
  }
}

/**
 * Starts a {@link WebStack} before the enclosing suite's tests, hands it to `ready`, and closes
 * it after them.
 *
 * @example
 * webStackForSuite({ withOpenAI: true }, (stack) => {
 *   patchbay = stack.patchbay
 *   browser = stack.browser
 * })
 */
export function webStackForSuite(options: { withOpenAI?: boolean }, ready: (stack: WebStack) => void): void {
  let stack: WebStack | undefined
  beforeAll(async () => {
    stack = await startWebStack(options)
    ready(stack)
  })
  afterAll(async () => {
    await stack?.close()
  })
}
