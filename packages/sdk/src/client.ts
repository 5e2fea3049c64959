import type { RunEvent, Workflow } from '@patchbay/core'
import { ApiError } from './errors.ts'
import { eventOf, readSse } from './sse.ts'
import type {
  ApiKey,
  Asset,
  AssetUpload,
  AssetUploadRequest,
  Credential,
  Invitation,
  Me,
  Member,
  ModelCatalog,
  NodeCatalogEntry,
  Organisation,
  Page,
  Role,
  Run,
  RunDetail,
  SavedWorkflow,
  StartRunRequest,
  UsageSummary,
  VersionSummary,
  WorkflowSummary,
} from './types.ts'

export interface ClientOptions {
  /** Where the server is, e.g. `http://127.0.0.1:8080`; '' for the page's own origin. */
  baseUrl?: string
  /** An API key (`pbk_…`); without one, the browser's session cookie is used. */
  apiKey?: string
  /** The organisation to act in (`X-Patchbay-Org`); the caller's first by default. */
  org?: string
  fetch?: typeof fetch
}

type Query = Record<string, string | number | undefined>

/**
 * A typed client of the Patchbay REST API. Every method throws {@link ApiError} for an error
 * answer, with the server's `code`, `message` and `details`.
 *
 * @example
 * const api = createClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.PATCHBAY_API_KEY })
 * const { id } = await api.workflows.create(document)
 * const run = await api.runs.start({ workflowId: id }, { wait: 30 })
 */
export function createClient(options: ClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? '').replace(/\/$/, '')
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis)
  let org = options.org

  function headers(extra?: HeadersInit): Headers {
    const result = new Headers(extra)
    if (options.apiKey) result.set('authorization', `Bearer ${options.apiKey}`)
    if (org) result.set('x-patchbay-org', org)
    return result
  }

  function url(path: string, query?: Query): string {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value))
    const text = search.toString()
    return `${baseUrl}${path}${text ? `?${text}` : ''}`
  }

  async function request<T>(
    method: string,
    path: string,
    init: { query?: Query; json?: unknown; body?: BodyInit } = {},
  ) {
    const response = await fetchImpl(url(path, init.query), {
      method,
      credentials: 'include',
      headers: headers(init.json === undefined ? undefined : { 'content-type': 'application/json' }),
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : init.body ? { body: init.body } : {}),
    })
    if (!response.ok) throw await ApiError.from(response)
    if (response.status === 204) return undefined as T
    return (await response.json()) as T
  }

  const v1 = (path: string) => `/api/v1${path}`

  const signIn = (body: { email: string; password: string }) =>
    request<{ user: { id: string; email: string; name: string } }>('POST', '/api/auth/sign-in/email', {
      json: { email: body.email, password: body.password, name: '' },
    })

  return {
    /** Switches the organisation later requests act in. */
    setOrg(id: string | undefined) {
      org = id
    },
    auth: {
      /**
       * Creates the account, then signs in. The server never opens a session on sign-up (so it
       * answers an email that already has an account like a new one); an existing email
       * therefore fails at the sign-in, as a wrong password.
       */
      signUp: async (body: { email: string; password: string; name: string }) => {
        await request<unknown>('POST', '/api/auth/sign-up/email', { json: body })
        return await signIn(body)
      },
      signIn: (body: { email: string; password: string }) => signIn(body),
      signOut: () => request<unknown>('POST', '/api/auth/sign-out', { json: {} }),
    },
    me: () => request<Me>('GET', v1('/me')),
    orgs: {
      list: () => request<{ items: Organisation[] }>('GET', v1('/orgs')),
      create: (name: string) => request<Organisation>('POST', v1('/orgs'), { json: { name } }),
      current: () => request<Organisation>('GET', v1('/orgs/current')),
      rename: (name: string) => request<Organisation>('PATCH', v1('/orgs/current'), { json: { name } }),
    },
    members: {
      list: () => request<{ items: Member[] }>('GET', v1('/members')),
      setRole: (userId: string, role: Role) => request<Member>('PATCH', v1(`/members/${userId}`), { json: { role } }),
      remove: (userId: string) => request<void>('DELETE', v1(`/members/${userId}`)),
    },
    invitations: {
      list: () => request<{ items: Invitation[] }>('GET', v1('/invitations')),
      create: (email: string, role: Role) =>
        request<Invitation & { token: string; url: string }>('POST', v1('/invitations'), { json: { email, role } }),
      revoke: (id: string) => request<void>('DELETE', v1(`/invitations/${id}`)),
      accept: (token: string) =>
        request<Member & { orgId: string }>('POST', v1('/invitations/accept'), { json: { token } }),
    },
    workflows: {
      list: (query: { search?: string; limit?: number; offset?: number } = {}) =>
        request<Page<WorkflowSummary>>('GET', v1('/workflows'), { query }),
      create: (document: Workflow | Record<string, unknown>) =>
        request<SavedWorkflow>('POST', v1('/workflows'), { json: document }),
      get: (id: string) => request<SavedWorkflow>('GET', v1(`/workflows/${id}`)),
      /** Throws ApiError 409 `STALE_REVISION` (current workflow in `details.workflow`) when `revision` is stale. */
      update: (id: string, revision: number, document: Workflow) =>
        request<SavedWorkflow>('PUT', v1(`/workflows/${id}`), { json: { revision, document } }),
      remove: (id: string) => request<void>('DELETE', v1(`/workflows/${id}`)),
      duplicate: (id: string, name?: string) =>
        request<SavedWorkflow>('POST', v1(`/workflows/${id}/duplicate`), { json: name ? { name } : {} }),
      export: (id: string) => request<Workflow>('GET', v1(`/workflows/${id}/export`)),
      versions: (id: string, query: { limit?: number; offset?: number } = {}) =>
        request<Page<VersionSummary>>('GET', v1(`/workflows/${id}/versions`), { query }),
      restore: (id: string, versionId: string, revision: number) =>
        request<SavedWorkflow>('POST', v1(`/workflows/${id}/versions/${versionId}/restore`), { json: { revision } }),
    },
    versions: {
      get: (id: string) => request<VersionSummary & { document: Workflow }>('GET', v1(`/versions/${id}`)),
    },
    runs: {
      /** With `wait`, holds until the run finishes or `wait` seconds pass (then `status` is still running). */
      start: (body: StartRunRequest, options: { wait?: number } = {}) =>
        request<Run>('POST', v1('/runs'), { json: body, query: { wait: options.wait } }),
      list: (query: { workflowId?: string; status?: string; limit?: number; offset?: number } = {}) =>
        request<Page<Run>>('GET', v1('/runs'), { query }),
      get: (id: string) => request<RunDetail>('GET', v1(`/runs/${id}`)),
      cancel: (id: string) => request<RunDetail>('POST', v1(`/runs/${id}/cancel`)),
      /**
       * Every event of the run from `after` on, live, until `run.finished`; reconnects with
       * `Last-Event-ID` when the connection drops, so each event arrives exactly once.
       */
      events: (id: string, options: { after?: number; signal?: AbortSignal } = {}) =>
        followRun(id, options.after ?? 0, options.signal),
    },
    /** The organisation's live events (no replay), until `signal` aborts. */
    events: async function* (signal?: AbortSignal): AsyncGenerator<RunEvent> {
      const response = await fetchImpl(url(v1('/events')), {
        credentials: 'include',
        headers: headers(),
        ...(signal ? { signal } : {}),
      })
      if (!response.ok || !response.body) throw await ApiError.from(response)
      for await (const message of readSse(response.body, signal)) yield eventOf(message)
    },
    assets: {
      list: (query: { kind?: string; search?: string; limit?: number; offset?: number } = {}) =>
        request<Page<Asset>>('GET', v1('/assets'), { query }),
      get: (id: string) => request<Asset>('GET', v1(`/assets/${id}`)),
      upload: (file: Blob, name?: string) => {
        const form = new FormData()
        form.set('file', file, name ?? (file instanceof File ? file.name : 'upload'))
        return request<Asset>('POST', v1('/assets'), { body: form })
      },
      remove: (id: string) => request<void>('DELETE', v1(`/assets/${id}`)),
      /**
       * Starts a direct upload (S3 storage): the file goes to the returned URL, not through the
       * server. Throws ApiError `PRESIGNED_UPLOADS_UNAVAILABLE` (409) on local storage.
       *
       * @example
       * const upload = await api.assets.createUpload({ name: file.name, contentType: file.type, bytes: file.size })
       * await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file })
       * const asset = await api.assets.completeUpload(upload.uploadId)
       */
      createUpload: (body: AssetUploadRequest) => request<AssetUpload>('POST', v1('/assets/uploads'), { json: body }),
      /** Turns a file PUT to a direct upload's URL into an asset (415 for a refused type, 413 too large). */
      completeUpload: (uploadId: string) =>
        request<Asset>('POST', v1(`/assets/uploads/${encodeURIComponent(uploadId)}/complete`)),
    },
    catalog: {
      nodes: () => request<{ items: NodeCatalogEntry[] }>('GET', v1('/nodes')),
      models: (query: { capability?: string; provider?: string } = {}) =>
        request<ModelCatalog>('GET', v1('/models'), { query }),
    },
    credentials: {
      list: () => request<{ items: Credential[] }>('GET', v1('/credentials')),
      create: (body: { name: string; value: string; description?: string | null }) =>
        request<Credential>('POST', v1('/credentials'), { json: body }),
      update: (id: string, body: { name?: string; value?: string; description?: string | null }) =>
        request<Credential>('PATCH', v1(`/credentials/${id}`), { json: body }),
      remove: (id: string) => request<void>('DELETE', v1(`/credentials/${id}`)),
    },
    usage: {
      /**
       * Runs and spend per day, workflow and model from `from` to `to` (`YYYY-MM-DD`, UTC, both
       * included; at most 366 days). Without them: the last 30 days.
       */
      get: (query: { from?: string; to?: string } = {}) => request<UsageSummary>('GET', v1('/usage'), { query }),
    },
    apiKeys: {
      list: () => request<{ items: ApiKey[] }>('GET', v1('/api-keys')),
      create: (body: { name: string; role?: Role; expiresInDays?: number }) =>
        request<ApiKey & { key: string }>('POST', v1('/api-keys'), { json: body }),
      revoke: (id: string) => request<void>('DELETE', v1(`/api-keys/${id}`)),
    },
  }

  async function* followRun(id: string, after: number, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    let last = after
    let failures = 0
    while (!signal?.aborted) {
      let response: Response
      try {
        response = await fetchImpl(url(v1(`/runs/${id}/events`)), {
          credentials: 'include',
          headers: headers(last > 0 ? { 'last-event-id': String(last) } : undefined),
          ...(signal ? { signal } : {}),
        })
      } catch (error) {
        if (signal?.aborted || ++failures > 5) throw error
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** failures))
        continue
      }
      if (!response.ok || !response.body) throw await ApiError.from(response)
      try {
        for await (const message of readSse(response.body, signal)) {
          const event = eventOf(message)
          if (event.seq <= last) continue
          last = event.seq
          failures = 0
          yield event
          if (event.type === 'run.finished') return
        }
        // Ended without run.finished: either the run had finished before `last` (nothing left
        // to send) or a proxy cut the connection; only the latter is worth reconnecting for.
        const run = await request<Run>('GET', v1(`/runs/${id}`))
        if (run.status !== 'queued' && run.status !== 'running') return
      } catch (error) {
        if (error instanceof ApiError) throw error
        if (signal?.aborted || ++failures > 5) throw error
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** failures))
      }
    }
  }
}

export type PatchbayClient = ReturnType<typeof createClient>
