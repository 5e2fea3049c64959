import { describe, expect, it } from 'vitest'
import { asset, doc, orgA, orgB } from './contract-fixtures.ts'
import type { RunRecord, Store } from './store.ts'

const all = { limit: 500, offset: 0 }

/**
 * The contract of listing, updating and deleting workflows and listing runs, versions and
 * assets; registered by `storeContract`, which gives each test a fresh store.
 */
export function listingsContract(
  current: () => Store,
  startRun: (id: string, overrides?: Partial<RunRecord>) => Promise<RunRecord>,
): void {
  /** Creates workflows one after another, a few milliseconds apart so their times differ. */
  async function createWorkflows(orgId: string, names: Record<string, string>): Promise<void> {
    for (const [id, name] of Object.entries(names)) {
      await current().createWorkflow({ id, orgId, document: doc(name) })
      await pause()
    }
  }

  describe('listing workflows', () => {
    it('lists newest first, in pages, with the total, in one organisation only', async () => {
      const store = current()
      await createWorkflows(orgA, { 'wf-1': 'one', 'wf-2': 'two', 'wf-3': 'three' })
      await createWorkflows(orgB, { 'wf-b': 'one' })
      const ids = async (limit: number, offset: number) => {
        const page = await store.listWorkflows({ orgId: orgA, limit, offset })
        return { ids: page.items.map((workflow) => workflow.id), total: page.total }
      }
      expect(await ids(10, 0)).toEqual({ ids: ['wf-3', 'wf-2', 'wf-1'], total: 3 })
      expect(await ids(2, 1)).toEqual({ ids: ['wf-2', 'wf-1'], total: 3 })
      expect(await ids(2, 5)).toEqual({ ids: [], total: 3 })
      expect((await store.listWorkflows({ orgId: orgA, ...all })).items[0]).toEqual(
        await store.getWorkflow(orgA, 'wf-3'),
      )
      expect(await store.listWorkflows({ orgId: 'org-none', ...all })).toEqual({ items: [], total: 0 })

      // An update makes a workflow the newest.
      await store.updateWorkflow({ orgId: orgA, id: 'wf-1', document: doc('one again'), expectedRevision: 1 })
      expect((await ids(10, 0)).ids).toEqual(['wf-1', 'wf-3', 'wf-2'])
    })

    it('searches names case-insensitively, taking LIKE wildcards literally', async () => {
      const store = current()
      await createWorkflows(orgA, { a: 'Upscale Portrait', b: 'portrait 100%', c: 'face_swap', d: 'landscape' })
      await createWorkflows(orgB, { e: 'portrait' })
      const search = async (text: string) =>
        (await store.listWorkflows({ orgId: orgA, search: text, ...all })).items.map((workflow) => workflow.id)
      expect(await search('PORTRAIT')).toEqual(['b', 'a'])
      expect(await search('SCa')).toEqual(['d', 'a'])
      expect(await search('%')).toEqual(['b'])
      expect(await search('_')).toEqual(['c'])
      expect(await search('a\\p')).toEqual([])
      expect(await search('')).toEqual(['d', 'c', 'b', 'a'])
      expect((await store.listWorkflows({ orgId: orgA, search: 'portrait', limit: 1, offset: 0 })).total).toBe(2)
    })

    it('refuses a page size outside 1–500 and a negative offset', async () => {
      const store = current()
      await expect(store.listWorkflows({ orgId: orgA, limit: 0, offset: 0 })).rejects.toThrow(RangeError)
      await expect(store.listRuns({ orgId: orgA, limit: 501, offset: 0 })).rejects.toThrow(RangeError)
      await expect(store.listAssets({ orgId: orgA, limit: 10, offset: -1 })).rejects.toThrow(RangeError)
      await expect(store.listVersions(orgA, 'wf', { limit: 1.5, offset: 0 })).rejects.toThrow(RangeError)
    })
  })

  describe('updating workflows', () => {
    it('replaces the document at the expected revision, bumping it and the update time', async () => {
      const store = current()
      const created = await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('before') })
      await pause()
      const result = await store.updateWorkflow({
        orgId: orgA,
        id: 'wf-1',
        document: doc('after'),
        expectedRevision: 1,
      })
      expect(result.status).toBe('updated')
      if (result.status !== 'updated') return
      expect(result.workflow).toMatchObject({
        id: 'wf-1',
        orgId: orgA,
        name: 'after',
        revision: 2,
        document: doc('after'),
      })
      expect(result.workflow.createdAt).toEqual(created.createdAt)
      expect(result.workflow.updatedAt.getTime()).toBeGreaterThan(created.updatedAt.getTime())
      expect(await store.getWorkflow(orgA, 'wf-1')).toEqual(result.workflow)
    })

    it('refuses a stale revision, returning the current record', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('v1') })
      await store.updateWorkflow({ orgId: orgA, id: 'wf-1', document: doc('v2'), expectedRevision: 1 })
      const stale = await store.updateWorkflow({ orgId: orgA, id: 'wf-1', document: doc('v3'), expectedRevision: 1 })
      expect(stale).toEqual({ status: 'conflict', workflow: await store.getWorkflow(orgA, 'wf-1') })
      expect(stale.status === 'conflict' && stale.workflow.name).toBe('v2')
    })

    it('reports a workflow missing from the organisation', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('v1') })
      const update = { id: 'wf-1', document: doc('v2'), expectedRevision: 1 }
      expect(await store.updateWorkflow({ ...update, orgId: orgB })).toEqual({ status: 'missing' })
      expect(await store.updateWorkflow({ ...update, orgId: orgA, id: 'nope' })).toEqual({ status: 'missing' })
      expect((await store.getWorkflow(orgA, 'wf-1'))?.revision).toBe(1)
    })

    it('lets exactly one of two concurrent writers of one revision win', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('v1') })
      const results = await Promise.all(
        ['left', 'right'].map((name) =>
          store.updateWorkflow({ orgId: orgA, id: 'wf-1', document: doc(name), expectedRevision: 1 }),
        ),
      )
      expect(results.map((result) => result.status).sort()).toEqual(['conflict', 'updated'])
      expect((await store.getWorkflow(orgA, 'wf-1'))?.revision).toBe(2)
    })
  })

  describe('deleting workflows', () => {
    it('deletes in its organisation only, keeping versions and runs without the workflow', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('one') })
      await store.saveVersion({ id: 'v-1', orgId: orgA, workflowId: 'wf-1', document: doc('one') })
      await startRun('run-1', { workflowId: 'wf-1' })
      expect(await store.deleteWorkflow(orgB, 'wf-1')).toBe(false)
      expect(await store.getWorkflow(orgA, 'wf-1')).toBeDefined()

      expect(await store.deleteWorkflow(orgA, 'wf-1')).toBe(true)
      expect(await store.getWorkflow(orgA, 'wf-1')).toBeUndefined()
      expect((await store.getVersion(orgA, 'v-1'))?.workflowId).toBeNull()
      expect((await store.getRun(orgA, 'run-1'))?.workflowId).toBeNull()
      expect(await store.deleteWorkflow(orgA, 'wf-1')).toBe(false)
      expect(await store.listWorkflows({ orgId: orgA, ...all })).toEqual({ items: [], total: 0 })
    })
  })

  describe('listing versions', () => {
    it("lists a workflow's versions newest first, in its organisation only", async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('one') })
      await store.createWorkflow({ id: 'wf-2', orgId: orgA, document: doc('two') })
      for (const id of ['v-1', 'v-2', 'v-3']) {
        await store.saveVersion({ id, orgId: orgA, workflowId: 'wf-1', document: doc(id) })
        await pause()
      }
      await store.saveVersion({ id: 'v-other', orgId: orgA, workflowId: 'wf-2', document: doc('other') })
      await store.saveVersion({ id: 'v-org-b', orgId: orgB, workflowId: 'wf-1', document: doc('org b') })

      const listed = await store.listVersions(orgA, 'wf-1', all)
      expect(listed.items.map((version) => version.id)).toEqual(['v-3', 'v-2', 'v-1'])
      expect(listed.items[0]).toEqual(await store.getVersion(orgA, 'v-3'))
      expect(listed.total).toBe(3)
      const second = await store.listVersions(orgA, 'wf-1', { limit: 1, offset: 1 })
      expect(second).toEqual({ items: [listed.items[1]], total: 3 })
      expect(await store.listVersions(orgB, 'wf-2', all)).toEqual({ items: [], total: 0 })
    })
  })

  describe('listing runs', () => {
    it('lists newest first, then by id in byte order, filtered, in one organisation only', async () => {
      const store = current()
      await store.createWorkflow({ id: 'wf-1', orgId: orgA, document: doc('one') })
      const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second))
      await startRun('run-old', { createdAt: at(0), status: 'succeeded', workflowId: 'wf-1' })
      // Same time: byte order puts 'B' (0x42) before 'a' (0x61), unlike most locales.
      await startRun('run-B', { createdAt: at(5), status: 'failed' })
      await startRun('run-a', { createdAt: at(5), status: 'succeeded', workflowId: 'wf-1' })
      await startRun('run-new', { createdAt: at(9), status: 'running' })
      await startRun('run-org-b', { createdAt: at(9), orgId: orgB, status: 'succeeded' })

      const ids = async (query: Partial<Parameters<Store['listRuns']>[0]>) => {
        const page = await store.listRuns({ orgId: orgA, ...all, ...query })
        return { ids: page.items.map((run) => run.id), total: page.total }
      }
      expect(await ids({})).toEqual({ ids: ['run-new', 'run-a', 'run-B', 'run-old'], total: 4 })
      expect(await ids({ limit: 2, offset: 1 })).toEqual({ ids: ['run-a', 'run-B'], total: 4 })
      expect(await ids({ status: 'succeeded' })).toEqual({ ids: ['run-a', 'run-old'], total: 2 })
      expect(await ids({ workflowId: 'wf-1', status: 'succeeded', limit: 1 })).toEqual({ ids: ['run-a'], total: 2 })
      expect(await ids({ workflowId: 'wf-none' })).toEqual({ ids: [], total: 0 })
      expect(await ids({ orgId: orgB })).toEqual({ ids: ['run-org-b'], total: 1 })
      expect((await store.listRuns({ orgId: orgA, ...all })).items[0]).toEqual(await store.getRun(orgA, 'run-new'))
    })
  })

  describe('listing and deleting assets', () => {
    it('lists newest first, by kind and name, in one organisation only', async () => {
      const store = current()
      const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second))
      const hash = (n: number) => String(n).padStart(64, '0')
      await store.upsertAsset(asset('a-cat', { sha256: hash(1), name: 'Cat.png', createdAt: at(1) }))
      await store.upsertAsset(asset('a-dog', { sha256: hash(2), name: 'dog_100%.png', createdAt: at(2) }))
      await store.upsertAsset(asset('a-none', { sha256: hash(3), name: null, createdAt: at(2) }))
      await store.upsertAsset(
        asset('a-song', { sha256: hash(4), kind: 'audio', mime: 'audio/wav', name: 'cat song', createdAt: at(3) }),
      )
      await store.upsertAsset(asset('a-org-b', { sha256: hash(5), orgId: orgB, name: 'cat', createdAt: at(4) }))

      const ids = async (query: Partial<Parameters<Store['listAssets']>[0]>) => {
        const page = await store.listAssets({ orgId: orgA, ...all, ...query })
        return { ids: page.items.map((item) => item.assetId), total: page.total }
      }
      expect(await ids({})).toEqual({ ids: ['a-song', 'a-none', 'a-dog', 'a-cat'], total: 4 })
      expect(await ids({ limit: 1, offset: 3 })).toEqual({ ids: ['a-cat'], total: 4 })
      expect(await ids({ kind: 'image' })).toEqual({ ids: ['a-none', 'a-dog', 'a-cat'], total: 3 })
      expect(await ids({ search: 'CAT' })).toEqual({ ids: ['a-song', 'a-cat'], total: 2 })
      expect(await ids({ search: 'cat', kind: 'audio' })).toEqual({ ids: ['a-song'], total: 1 })
      expect(await ids({ search: '_1' })).toEqual({ ids: ['a-dog'], total: 1 })
      expect(await ids({ search: '%' })).toEqual({ ids: ['a-dog'], total: 1 })
      expect(await ids({ search: '' })).toEqual({ ids: ['a-song', 'a-dog', 'a-cat'], total: 3 })
      expect((await store.listAssets({ orgId: orgA, ...all })).items[3]).toEqual(await store.getAsset(orgA, 'a-cat'))
    })

    it('deletes a record in its organisation, returning it', async () => {
      const store = current()
      const saved = await store.upsertAsset(asset('a1', { width: 10, height: 20 }))
      expect(await store.deleteAsset(orgB, 'a1')).toBeUndefined()
      expect(await store.deleteAsset(orgA, 'a1')).toEqual(saved)
      expect(await store.getAsset(orgA, 'a1')).toBeUndefined()
      expect(await store.deleteAsset(orgA, 'a1')).toBeUndefined()
    })

    it('knows whether any organisation still uses a storage key', async () => {
      const store = current()
      const shared = asset('a1')
      await store.upsertAsset(shared)
      await store.upsertAsset(asset('a2', { orgId: orgB }))
      expect(await store.isStorageKeyUsed(shared.storageKey)).toBe(true)
      expect(await store.isStorageKeyUsed('blobs/other')).toBe(false)
      await store.deleteAsset(orgA, 'a1')
      expect(await store.isStorageKeyUsed(shared.storageKey)).toBe(true)
      await store.deleteAsset(orgB, 'a2')
      expect(await store.isStorageKeyUsed(shared.storageKey)).toBe(false)
    })
  })
}

/** Long enough for the next write to get a later millisecond. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 3))
}
