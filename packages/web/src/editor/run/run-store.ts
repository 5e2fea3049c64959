import type { RunEvent } from '@patchbay/core'
import type { RunDetail, StartRunRequest } from '@patchbay/sdk'
import { create } from 'zustand'
import { api, queryClient } from '../../app/api.ts'
import { selectedWorkflowNodes, useEditorStore } from '../store/index.ts'
import { applyRunEvent, runViewFromDetail, startedRunView } from './apply-event.ts'
import { describeStartError } from './start-error.ts'
import type { RunView, StartError } from './types.ts'

/** How many past runs a node's output history looks through. */
export const HISTORY_RUNS = 20

/** Query keys of the run data this folder caches with react-query. */
export const runQueryKeys = {
  list: (workflowId: string) => ['runs', 'list', workflowId] as const,
  detail: (runId: string) => ['runs', 'detail', runId] as const,
}

export interface RunHistory {
  workflowId: string | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  error: string | null
  /** Past runs of the workflow, newest first, with every node's outputs. */
  runs: RunDetail[]
}

export interface RunStoreState {
  /** The workflow whose runs are shown. */
  workflowId: string | null
  /** The run shown on the canvas: the latest, the one just started, or one picked in the panel. */
  run: RunView | null
  /** The run whose events are being followed live. */
  followingRunId: string | null
  starting: boolean
  canceling: boolean
  startError: StartError | null
  /**
   * A run waiting for the values of the workflow's inputs (the run dialog asks for them, then
   * calls {@link start} again with them).
   */
  inputsRequest: { scope: StartRunRequest['scope'] } | null
  /** A problem loading or following a run (shown, but nothing to act on). */
  loadError: string | null
  history: RunHistory
  /** Per node, the past run whose output the card shows instead of the current one. */
  historySelection: Record<string, string>

  /** Shows the workflow's latest run (following it if it is still going). Called on opening the editor. */
  openWorkflow(workflowId: string): Promise<void>
  /**
   * Saves, starts a run of the editor's workflow and follows it. A workflow that declares
   * inputs asks for their values first ({@link inputsRequest}) unless `inputs` is given.
   */
  start(scope: StartRunRequest['scope'], inputs?: Record<string, unknown>): Promise<void>
  runAll(): Promise<void>
  runSelected(): Promise<void>
  /** Runs one node; what it needs upstream comes from the cache when unchanged. */
  runNode(nodeId: string): Promise<void>
  cancel(): Promise<void>
  /** Shows a run (e.g. picked in the run panel) on the canvas; follows it when still going. */
  loadRun(runId: string): Promise<void>
  /** Loads the outputs of the last {@link HISTORY_RUNS} runs (done when a node's history opens). */
  loadHistory(): Promise<void>
  /** Shows a past run's output on a node's card; `null` goes back to the current run. */
  selectHistory(nodeId: string, runId: string | null): void
  dismissStartError(): void
  /** Closes the run dialog without running. */
  dismissInputsRequest(): void
  /** Stops following and forgets everything (leaving the editor). */
  close(): void
}

const emptyHistory: RunHistory = { workflowId: null, status: 'idle', error: null, runs: [] }

let follower: AbortController | null = null
let pending: RunEvent[] = []
let flushTimer: ReturnType<typeof setTimeout> | undefined

/**
 * The run on the canvas and every node's live state, fed by the run's SSE events through the
 * pure {@link applyRunEvent}. Events are applied in batches (one store update per ~30 ms) so a
 * replayed run with thousands of events renders once, not thousands of times.
 *
 * @example
 * const status = useRunStore((s) => s.run?.nodes[nodeId]?.status)
 * await useRunStore.getState().runAll()
 */
export const useRunStore = create<RunStoreState>()((set, get) => {
  function flush() {
    clearTimeout(flushTimer)
    flushTimer = undefined
    const events = pending
    pending = []
    const run = get().run
    if (!run || events.length === 0) return
    const next = events.reduce(applyRunEvent, run)
    if (next !== run) set({ run: next })
  }

  function enqueue(event: RunEvent) {
    pending.push(event)
    flushTimer ??= setTimeout(flush, 30)
  }

  function stopFollowing() {
    follower?.abort()
    follower = null
    flush()
    pending = []
  }

  function follow(runId: string) {
    stopFollowing()
    const controller = new AbortController()
    follower = controller
    set({ followingRunId: runId })
    void (async () => {
      try {
        for await (const event of api.runs.events(runId, { signal: controller.signal })) enqueue(event)
      } catch (error) {
        if (!controller.signal.aborted) set({ loadError: `Lost the run's live events: ${messageOf(error)}` })
      } finally {
        if (follower === controller) {
          follower = null
          flush()
          set({ followingRunId: null, canceling: false })
          await settle(runId)
        }
      }
    })()
  }

  /** After the events end: read the finished run (node inputs, final timings) and refresh lists. */
  async function settle(runId: string) {
    const workflowId = get().workflowId
    if (workflowId) void queryClient.invalidateQueries({ queryKey: runQueryKeys.list(workflowId) })
    try {
      const detail = await api.runs.get(runId)
      const run = get().run
      if (run?.id !== runId) return
      const loaded = runViewFromDetail(detail)
      // Keep nodes this run left out (still showing an earlier run's outputs).
      set({ run: { ...loaded, lastSeq: run.lastSeq, nodes: { ...run.nodes, ...loaded.nodes } } })
      if (detail.status !== 'running' && detail.status !== 'queued') {
        queryClient.setQueryData(runQueryKeys.detail(runId), detail)
      }
    } catch {
      // The live state is already on screen; the detail only adds inputs.
    }
  }

  return {
    workflowId: null,
    run: null,
    followingRunId: null,
    starting: false,
    canceling: false,
    startError: null,
    inputsRequest: null,
    loadError: null,
    history: emptyHistory,
    historySelection: {},

    async openWorkflow(workflowId) {
      if (get().workflowId === workflowId) return
      stopFollowing()
      set({
        workflowId,
        run: null,
        followingRunId: null,
        startError: null,
        inputsRequest: null,
        loadError: null,
        history: emptyHistory,
        historySelection: {},
      })
      try {
        const page = await api.runs.list({ workflowId, limit: 1 })
        const latest = page.items[0]
        // Something newer may have been shown meanwhile (a run started, another workflow opened).
        if (!latest || get().workflowId !== workflowId || get().run) return
        await get().loadRun(latest.id)
      } catch (error) {
        if (get().workflowId === workflowId) set({ loadError: `Could not load the latest run: ${messageOf(error)}` })
      }
    },

    async start(scope, inputs) {
      const editor = useEditorStore.getState()
      const { workflowId } = editor
      if (!workflowId || editor.readOnly || get().starting) return
      if (inputs === undefined && Object.keys(editor.document.inputs ?? {}).length > 0) {
        // Already asking (Ctrl/⌘+Enter in the dialog): keep the scope the dialog was opened for.
        if (!get().inputsRequest) set({ inputsRequest: { scope }, startError: null })
        return
      }
      set({ starting: true, startError: null, loadError: null })
      try {
        await editor.flushSave()
      } catch (error) {
        set({
          starting: false,
          startError: { ...describeStartError(error), message: `Could not save before running: ${messageOf(error)}` },
        })
        return
      }
      try {
        const run = await api.runs.start({ workflowId, scope, ...(inputs ? { inputs } : {}) })
        const previous = get().run
        set({
          workflowId,
          run: startedRunView(run, previous?.workflowId === workflowId ? previous : null),
          starting: false,
          historySelection: {},
        })
        void queryClient.invalidateQueries({ queryKey: runQueryKeys.list(workflowId) })
        follow(run.id)
      } catch (error) {
        set({ starting: false, startError: describeStartError(error) })
      }
    },

    runAll: () => get().start('all'),

    runSelected() {
      const nodes = selectedWorkflowNodes(useEditorStore.getState())
      return nodes.length === 0 ? Promise.resolve() : get().start({ nodes })
    },

    runNode: (nodeId) => get().start({ nodes: [nodeId] }),

    async cancel() {
      const run = get().run
      if (!run || get().canceling) return
      set({ canceling: true })
      try {
        await api.runs.cancel(run.id)
      } catch (error) {
        set({ loadError: `Could not cancel: ${messageOf(error)}` })
      } finally {
        // The events bring the canceled states; without a follower nothing else will.
        if (get().followingRunId !== run.id) set({ canceling: false })
      }
    },

    async loadRun(runId) {
      set({ loadError: null })
      try {
        const detail = await queryClient.fetchQuery({
          queryKey: runQueryKeys.detail(runId),
          queryFn: () => api.runs.get(runId),
          // A finished run never changes; a running one must be read afresh.
          staleTime: (query) => (isFinished(query.state.data) ? Number.POSITIVE_INFINITY : 0),
        })
        if (detail.workflowId && get().workflowId && detail.workflowId !== get().workflowId) return
        stopFollowing()
        set({ run: runViewFromDetail(detail), followingRunId: null, canceling: false, historySelection: {} })
        if (!isFinished(detail)) follow(runId)
      } catch (error) {
        set({ loadError: `Could not load run ${runId}: ${messageOf(error)}` })
      }
    },

    async loadHistory() {
      const workflowId = get().workflowId
      if (!workflowId || get().history.status === 'loading') return
      set((state) => ({ history: { ...state.history, workflowId, status: 'loading', error: null } }))
      try {
        const page = await api.runs.list({ workflowId, limit: HISTORY_RUNS })
        const runs = await Promise.all(
          page.items.map((run) =>
            queryClient.fetchQuery({
              queryKey: runQueryKeys.detail(run.id),
              queryFn: () => api.runs.get(run.id),
              staleTime: (query) => (isFinished(query.state.data) ? Number.POSITIVE_INFINITY : 0),
            }),
          ),
        )
        if (get().workflowId !== workflowId) return
        set({ history: { workflowId, status: 'ready', error: null, runs } })
      } catch (error) {
        if (get().workflowId !== workflowId) return
        set((state) => ({ history: { ...state.history, status: 'error', error: messageOf(error) } }))
      }
    },

    selectHistory(nodeId, runId) {
      set((state) => {
        const historySelection = { ...state.historySelection }
        if (runId === null || runId === state.run?.nodes[nodeId]?.runId) delete historySelection[nodeId]
        else historySelection[nodeId] = runId
        return { historySelection }
      })
    },

    dismissStartError: () => set({ startError: null }),

    dismissInputsRequest: () => set({ inputsRequest: null }),

    close() {
      stopFollowing()
      set({
        workflowId: null,
        run: null,
        followingRunId: null,
        starting: false,
        canceling: false,
        startError: null,
        inputsRequest: null,
        loadError: null,
        history: emptyHistory,
        historySelection: {},
      })
    },
  }
})

/**
 * "Run this node" for a node card's menu: runs `nodeId` alone, its upstream coming from the
 * cache where nothing changed.
 */
export function runNode(nodeId: string): Promise<void> {
  return useRunStore.getState().runNode(nodeId)
}

function isFinished(run: { status: string } | undefined): boolean {
  return run !== undefined && run.status !== 'running' && run.status !== 'queued'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
