import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterEach, describe, expect, it } from 'vitest'
import { chromiumSuiteEnabled, type PageProblems, screenshot } from './support/browser.ts'
import {
  acceptInvitation,
  apiCall,
  inviteViewer,
  nodeById,
  nodes,
  palette,
  seedWorkflow,
  signedInAs,
} from './support/journey.ts'
import type { Patchbay } from './support/patchbay.ts'
import { webStackForSuite } from './support/stack.ts'

// Sticky notes and groups on the canvas, end to end: a real `patchbay start` (sign-in
// required), the built app in Chromium. Notes are `.react-flow__node-note`, groups
// `.react-flow__node-frame` (React Flow's own `group` type has styles of its own); a group is
// dragged by its header (`.pb-group-header`).

const withChromium = chromiumSuiteEnabled('web annotations')

interface SavedDocument {
  nodes: { id: string; position?: { x: number; y: number } }[]
  notes?: { id: string; text: string; size: { width: number; height: number }; color?: string }[]
  groups?: { id: string; label: string; color?: string; position: { x: number; y: number } }[]
}

const threeNodes = {
  schemaVersion: 1,
  name: 'Annotated',
  nodes: [
    { id: 'a', type: 'text.template', params: { template: 'first' }, position: { x: 0, y: 0 } },
    { id: 'b', type: 'text.template', params: { template: 'second' }, position: { x: 400, y: 0 } },
    { id: 'c', type: 'text.template', params: { template: 'outside' }, position: { x: 0, y: 560 } },
  ],
  edges: [],
}

const notesOn = (page: Page) => page.locator('.react-flow__node-note')
const groupsOn = (page: Page) => page.locator('.react-flow__node-frame')

async function box(locator: Locator) {
  const found = await locator.boundingBox()
  if (!found) throw new Error('not on screen')
  return found
}

/** Drags with real mouse moves, from the middle of `from` by `dx`, `dy` screen pixels. */
async function dragBy(page: Page, from: Locator, dx: number, dy: number, at?: { x: number; y: number }) {
  const start = await box(from)
  const x = start.x + (at?.x ?? start.width / 2)
  const y = start.y + (at?.y ?? start.height / 2)
  await page.mouse.move(x, y)
  await page.mouse.down()
  await page.mouse.move(x + dx / 2, y + dy / 2, { steps: 6 })
  await page.mouse.move(x + dx, y + dy, { steps: 6 })
  await page.mouse.up()
}

describe.skipIf(!withChromium)('web annotations', () => {
  let patchbay: Patchbay
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let problems: PageProblems
  let users = 0

  webStackForSuite({}, (stack) => {
    patchbay = stack.patchbay
    browser = stack.browser
  })
  afterEach(async (test) => {
    if (page && test.task.result?.state === 'fail') await screenshot(page, `failed-${test.task.name}`).catch(() => {})
    await context?.close()
  })

  async function signedIn(): Promise<void> {
    ;({ context, page, problems } = await signedInAs(browser, patchbay.url, `notes${++users}@example.com`))
  }

  const saved = async (id: string) =>
    (await apiCall<{ document: SavedDocument }>(context, patchbay.url, 'GET', `/api/v1/workflows/${id}`)).document

  it('adds a note and a group, drags the group with its nodes, undoes, and keeps both after a reload', async () => {
    await signedIn()
    const id = await seedWorkflow(context, patchbay.url, threeNodes)
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await nodeById(page, 'c').waitFor()
    await palette(page).getByRole('region', { name: 'Annotate' }).waitFor()

    // N adds a note under the cursor, open for typing (typing "n" or "g" in it adds nothing).
    const c = await box(nodeById(page, 'c'))
    await page.mouse.move(c.x + c.width + 220, c.y + 80)
    await page.keyboard.press('n')
    const textarea = notesOn(page).getByRole('textbox', { name: 'Note text' })
    await textarea.waitFor()
    await page.keyboard.type('## Plan\nGenerate **two** texts, then group them.')
    await screenshot(page, 'annotations-note-editing')
    await page.keyboard.press('Escape')
    await notesOn(page).locator('h2', { hasText: 'Plan' }).waitFor()
    expect(await notesOn(page).locator('strong').textContent()).toBe('two')
    expect(await notesOn(page).count()).toBe(1)
    expect(await groupsOn(page).count()).toBe(0)

    // G wraps the selected nodes in a group, whose label is open for typing.
    await nodeById(page, 'a').locator('[data-testid="node-title"]').click()
    await nodeById(page, 'b')
      .locator('[data-testid="node-title"]')
      .click({ modifiers: ['Shift'] })
    await page.keyboard.press('g')
    const label = page.getByRole('textbox', { name: 'Group label' })
    await label.waitFor()
    await page.keyboard.type('Prompting')
    await page.keyboard.press('Enter')
    await groupsOn(page).getByTestId('group-label').getByText('Prompting').waitFor()

    // The group frames both nodes and lies behind them: a click on a node inside selects the node.
    const frame = await box(groupsOn(page))
    for (const nodeId of ['a', 'b']) {
      const node = await box(nodeById(page, nodeId))
      expect(node.x).toBeGreaterThan(frame.x)
      expect(node.y).toBeGreaterThan(frame.y)
      expect(node.x + node.width).toBeLessThan(frame.x + frame.width)
      expect(node.y + node.height).toBeLessThan(frame.y + frame.height)
    }
    await nodeById(page, 'a').locator('[data-testid="node-title"]').click()
    await expect.poll(() => nodeById(page, 'a').getAttribute('class')).toContain('selected')
    expect(await groupsOn(page).getAttribute('class')).not.toContain('selected')

    // A colour from the selected group's toolbar.
    await groupsOn(page)
      .locator('.pb-group-header')
      .click({ position: { x: 200, y: 12 } })
    await page.getByRole('toolbar', { name: 'Group colour' }).getByRole('button', { name: 'Green' }).click()
    await groupsOn(page).locator('.pb-group.pb-tint-green').waitFor()
    await screenshot(page, 'annotations-light')

    // Dragging the header moves the group and both nodes inside it, not the node outside.
    const before = {
      a: await box(nodeById(page, 'a')),
      b: await box(nodeById(page, 'b')),
      c: await box(nodeById(page, 'c')),
      note: await box(notesOn(page)),
      group: await box(groupsOn(page)),
    }
    await dragBy(page, groupsOn(page).locator('.pb-group-header'), 180, 140, { x: 200, y: 20 })
    const after = {
      a: await box(nodeById(page, 'a')),
      b: await box(nodeById(page, 'b')),
      c: await box(nodeById(page, 'c')),
      note: await box(notesOn(page)),
      group: await box(groupsOn(page)),
    }
    const dx = after.group.x - before.group.x
    const dy = after.group.y - before.group.y
    expect(dx).toBeGreaterThan(80)
    expect(dy).toBeGreaterThan(60)
    for (const key of ['a', 'b'] as const) {
      expect(after[key].x - before[key].x).toBeCloseTo(dx, 0)
      expect(after[key].y - before[key].y).toBeCloseTo(dy, 0)
    }
    expect(after.c).toEqual(before.c)
    expect(after.note).toEqual(before.note)
    await screenshot(page, 'annotations-dragged')

    // One undo puts the group and both nodes back.
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } })
    await page.keyboard.press('Control+z')
    await expect.poll(async () => (await box(groupsOn(page))).x).toBeCloseTo(before.group.x, 0)
    expect((await box(nodeById(page, 'a'))).x).toBeCloseTo(before.a.x, 0)
    expect((await box(nodeById(page, 'b'))).y).toBeCloseTo(before.b.y, 0)

    // Auto-layout moves the group as one block: its nodes stay inside it, where they were in it.
    // Where each node sits in the group's frame, in percent of it (the same at any zoom), read
    // in one frame of the page so that fitView's animation cannot skew it.
    const offsets = () =>
      page.evaluate(() => {
        const rect = (selector: string) => document.querySelector(selector)!.getBoundingClientRect()
        const frame = rect('.react-flow__node-frame')
        const from = (id: string) => {
          const node = rect(`.react-flow__node[data-id="${id}"]`)
          return {
            x: Math.round(((node.x - frame.x) / frame.width) * 100),
            y: Math.round(((node.y - frame.y) / frame.height) * 100),
          }
        }
        return { a: from('a'), b: from('b'), c: from('c') }
      })
    const beforeLayout = await offsets()
    await page.getByRole('button', { name: 'Auto-layout' }).click()
    await expect.poll(async () => (await offsets()).c, { timeout: 5000 }).not.toEqual(beforeLayout.c)
    const laidOut = await offsets()
    for (const key of ['a', 'b'] as const) {
      expect(Math.abs(laidOut[key].x - beforeLayout[key].x)).toBeLessThanOrEqual(1)
      expect(Math.abs(laidOut[key].y - beforeLayout[key].y)).toBeLessThanOrEqual(1)
    }
    await page.keyboard.press('Control+z')

    // Resizing a note from its corner handle. With only a note selected there is nothing to run.
    await notesOn(page).click()
    expect(await page.getByRole('button', { name: 'Run selected' }).isDisabled()).toBe(true)
    const corner = notesOn(page).locator('.react-flow__resize-control.handle.bottom.right')
    await corner.waitFor()
    await dragBy(page, corner, 96, 64)

    // Duplicate, copy, paste and delete take notes along like nodes; select-all selects them too.
    await page.keyboard.press('Control+d')
    await expect.poll(() => notesOn(page).count()).toBe(2)
    await page.keyboard.press('Delete')
    await expect.poll(() => notesOn(page).count()).toBe(1)
    await notesOn(page).click()
    await page.keyboard.press('Control+c')
    const note = await box(notesOn(page))
    await page.mouse.move(note.x - 200, note.y - 120)
    await page.keyboard.press('Control+v')
    await expect.poll(() => notesOn(page).count()).toBe(2)
    await page.keyboard.press('Delete')
    await expect.poll(() => notesOn(page).count()).toBe(1)

    // Enter opens the selected group's label for typing; Escape leaves it as it was.
    await groupsOn(page)
      .locator('.pb-group-header')
      .click({ position: { x: 200, y: 12 } })
    await page.keyboard.press('Enter')
    await page.getByRole('textbox', { name: 'Group label' }).waitFor()
    await page.keyboard.type('Discarded')
    await page.keyboard.press('Escape')
    await expect.poll(() => groupsOn(page).getByTestId('group-label').textContent()).toBe('Prompting')
    await page.keyboard.press('Control+a')
    await expect.poll(() => page.locator('.react-flow__node.selected').count()).toBe(5)
    await page.locator('.react-flow__pane').click({ position: { x: 30, y: 30 } })

    // Saved by itself; after a reload the note and the group are where they were left.
    await expect
      .poll(async () => {
        const document = await saved(id)
        return {
          notes: document.notes?.map((note) => [note.text, note.size.width > 240, note.size.height > 160]),
          groups: document.groups?.map((group) => [group.label, group.color]),
          a: document.nodes.find((node) => node.id === 'a')?.position,
        }
      })
      .toEqual({
        notes: [['## Plan\nGenerate **two** texts, then group them.', true, true]],
        groups: [['Prompting', 'green']],
        a: { x: 0, y: 0 },
      })
    await page.reload()
    await nodeById(page, 'c').waitFor()
    await notesOn(page).locator('h2', { hasText: 'Plan' }).waitFor()
    expect(await groupsOn(page).getByTestId('group-label').textContent()).toBe('Prompting')
    expect(await nodes(page).count()).toBe(5)

    // The cheat-sheet lists the new shortcuts.
    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.getByText('Add a sticky note at the cursor').waitFor()
    await sheet.getByText('Group the selection (or add an empty group)').waitFor()
    await sheet.getByText('Move the group and everything inside it').scrollIntoViewIfNeeded()
    await screenshot(page, 'annotations-shortcuts')
    await page.keyboard.press('Escape')

    // The same canvas in the dark theme.
    await page.evaluate(() => localStorage.setItem('patchbay.theme', 'dark'))
    await page.reload()
    await notesOn(page).locator('h2', { hasText: 'Plan' }).waitFor()
    await notesOn(page).click()
    await screenshot(page, 'annotations-dark')
    expect(problems.all()).toEqual([])
  }, 120_000)

  it('shows a viewer notes and groups read-only', async () => {
    await signedIn()
    const owner = context
    const id = await seedWorkflow(owner, patchbay.url, {
      ...threeNodes,
      name: 'Annotated, read-only',
      notes: [
        {
          id: 'why',
          text: `Do **not** touch\n\n${Array.from({ length: 30 }, (_, index) => `- step ${index + 1}`).join('\n')}`,
          position: { x: 0, y: 300 },
          size: { width: 240, height: 120 },
        },
      ],
      groups: [
        {
          id: 'both',
          label: 'Pair',
          color: 'purple',
          position: { x: -32, y: -64 },
          size: { width: 720, height: 340 },
        },
      ],
    })
    const invitation = await inviteViewer(owner, patchbay.url, 'note-viewer@example.com')
    await owner.close()

    ;({ context, page, problems } = await signedInAs(browser, patchbay.url, 'note-viewer@example.com', {
      prepare: (viewer) => acceptInvitation(viewer, patchbay.url, invitation),
    }))
    await page.goto(`${patchbay.url}/workflows/${id}`)
    await notesOn(page).locator('strong', { hasText: 'not' }).waitFor()

    expect(await page.locator('.react-flow__node.draggable').count()).toBe(0)
    await notesOn(page).dblclick()
    await groupsOn(page).locator('.pb-group-header').dblclick()
    await notesOn(page).click()
    await page.mouse.move(700, 700)
    await page.keyboard.press('n')
    await page.keyboard.press('g')
    await page.keyboard.press('Delete')
    await page.waitForTimeout(300)
    expect(await page.getByRole('textbox', { name: 'Note text' }).count()).toBe(0)
    expect(await page.getByRole('textbox', { name: 'Group label' }).count()).toBe(0)
    expect(await page.locator('.react-flow__resize-control').count()).toBe(0)
    expect(await page.getByRole('toolbar', { name: /colour/ }).count()).toBe(0)
    expect([await notesOn(page).count(), await groupsOn(page).count()]).toEqual([1, 1])
    await screenshot(page, 'annotations-viewer')

    // A note longer than its frame scrolls under the wheel; the canvas does not zoom.
    const viewport = () => page.locator('.react-flow__viewport').getAttribute('style')
    const zoomBefore = await viewport()
    const noteBody = notesOn(page).getByTestId('note-body')
    await noteBody.hover()
    await page.mouse.wheel(0, 400)
    await expect.poll(() => noteBody.evaluate((element) => element.scrollTop)).toBeGreaterThan(0)
    expect(await viewport()).toBe(zoomBefore)
    await notesOn(page).getByText('step 30').waitFor()
    expect(problems.pageErrors).toEqual([])
  }, 90_000)
})
