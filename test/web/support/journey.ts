import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { newProfile, type PageProblems, type Theme, watchPage } from './browser.ts'

// Small helpers the journeys share: acting through the page's own cookies (so what the test
// seeds belongs to the user the browser is signed in as) and finding things on the canvas by
// what React Flow renders (.react-flow__node[data-id], .react-flow__handle[data-handleid]).

export const password = 'correct horse battery'

/** Calls the API with the context's cookies; throws on an unexpected status. */
export async function apiCall<T>(
  context: BrowserContext,
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await context.request.fetch(`${baseUrl}${path}`, {
    method,
    ...(body === undefined ? {} : { data: body as Record<string, unknown> }),
  })
  const text = await response.text()
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()}: ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

/** Signs up and in through the API (sign-up opens no session); the context then holds the session cookie. */
export async function signUpVia(context: BrowserContext, baseUrl: string, email: string): Promise<void> {
  await apiCall(context, baseUrl, 'POST', '/api/auth/sign-up/email', { email, password, name: email.split('@')[0] })
  await apiCall(context, baseUrl, 'POST', '/api/auth/sign-in/email', { email, password })
}

/** A browser profile signed in as a user of its own, with a page watched for problems. */
export interface SignedIn {
  context: BrowserContext
  page: Page
  problems: PageProblems
}

/**
 * Signs `email` up in a fresh browser profile (1440×900 unless told), runs `prepare` on it
 * (store a key, accept an invitation…), then opens a page.
 *
 * @example
 * ;({ context, page, problems } = await signedInAs(browser, patchbay.url, 'ada@example.com', {
 *   prepare: (context) => addOpenAIKey(context, patchbay.url),
 * }))
 */
export async function signedInAs(
  browser: Browser,
  baseUrl: string,
  email: string,
  options: {
    viewport?: { width: number; height: number }
    theme?: Theme
    prepare?: (context: BrowserContext) => Promise<void>
  } = {},
): Promise<SignedIn> {
  const { viewport = { width: 1440, height: 900 }, theme, prepare } = options
  const context = await newProfile(browser, { viewport, theme })
  await signUpVia(context, baseUrl, email)
  await prepare?.(context)
  const page = await context.newPage()
  return { context, page, problems: watchPage(page) }
}

/** Invites `email` into the owner's organisation as a viewer. */
export async function inviteViewer(
  owner: BrowserContext,
  baseUrl: string,
  email: string,
): Promise<{ orgId: string; token: string }> {
  const org = await apiCall<{ id: string }>(owner, baseUrl, 'GET', '/api/v1/orgs/current')
  const invitation = await apiCall<{ token: string }>(owner, baseUrl, 'POST', '/api/v1/invitations', {
    email,
    role: 'viewer',
  })
  return { orgId: org.id, token: invitation.token }
}

/** Accepts an invitation, and has the app act in its organisation rather than the user's own. */
export async function acceptInvitation(
  context: BrowserContext,
  baseUrl: string,
  invitation: { orgId: string; token: string },
): Promise<void> {
  await apiCall(context, baseUrl, 'POST', '/api/v1/invitations/accept', { token: invitation.token })
  await context.addInitScript((orgId) => localStorage.setItem('patchbay.org', orgId), invitation.orgId)
}

/** Stores a key for the loopback OpenAI in the signed-in user's organisation. */
export async function addOpenAIKey(context: BrowserContext, baseUrl: string): Promise<void> {
  await apiCall(context, baseUrl, 'POST', '/api/v1/credentials', { name: 'OPENAI_API_KEY', value: 'test-key' })
}

export async function seedWorkflow(context: BrowserContext, baseUrl: string, document: object): Promise<string> {
  return (await apiCall<{ id: string }>(context, baseUrl, 'POST', '/api/v1/workflows', document)).id
}

/** The canvas node whose header shows `type` (the card prints `<id> · <type>`). */
export function nodeOfType(page: Page, type: string): Locator {
  return page.locator('.react-flow__node').filter({ hasText: `· ${type}` })
}

export function nodeById(page: Page, id: string): Locator {
  return page.locator(`.react-flow__node[data-id="${id}"]`)
}

export function handle(node: Locator, kind: 'source' | 'target', name: string): Locator {
  return node.locator(`.react-flow__handle.${kind}[data-handleid="${name}"]`)
}

/** Drags a wire from one handle to another with real mouse moves (how a person connects nodes). */
export async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox()
  const b = await to.boundingBox()
  if (!a || !b) throw new Error('a handle is not on screen')
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 })
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 })
  await page.mouse.up()
}

/** The workflow id in an editor URL (`/workflows/<id>`). */
export function workflowIdOf(page: Page): string {
  const match = /\/workflows\/([^/?#]+)/.exec(page.url())
  if (!match?.[1]) throw new Error(`not an editor URL: ${page.url()}`)
  return match[1]
}

export const edges = (page: Page) => page.locator('.react-flow__edge')
export const nodes = (page: Page) => page.locator('.react-flow__node')

/** The node palette (the editor's "Node palette" region). */
export const palette = (page: Page) => page.getByRole('complementary', { name: 'Node palette' })

/** A palette entry by node type, e.g. `paletteItem(page, 'llm.chat')`. */
export const paletteItem = (page: Page, type: string) => palette(page).locator(`[data-node-type="${type}"]`)
