import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow } from '../testing/fixtures.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

let server: TestServer
let owner: { cookie: string }

beforeAll(async () => {
  server = await startTestServer()
  owner = { cookie: (await signUp(server, { email: 'owner@example.com' })).cookie }
}, 60_000)

afterAll(async () => {
  await server?.close()
})

interface WorkflowJson {
  id: string
  name: string
  revision: number
  document: { name: string; nodes: unknown[] }
  issues: { code: string; nodeId?: string }[]
}

describe('workflows', () => {
  it('creates, reads, updates with a revision, refuses a stale write with 409, and deletes', async () => {
    const created = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Greeter'))
    expect(created).toMatchObject({ name: 'Greeter', revision: 1, issues: [] })
    const read = await call<WorkflowJson>(server, owner, 'GET', `/api/v1/workflows/${created.id}`)
    expect(read.document.name).toBe('Greeter')
    const updated = await call<WorkflowJson>(server, owner, 'PUT', `/api/v1/workflows/${created.id}`, {
      revision: 1,
      document: helloWorkflow('Greeter v2'),
    })
    expect(updated).toMatchObject({ name: 'Greeter v2', revision: 2 })
    const stale = await server.fetch(`/api/v1/workflows/${created.id}`, {
      method: 'PUT',
      as: owner,
      json: { revision: 1, document: helloWorkflow('lost update') },
    })
    expect(stale.status).toBe(409)
    const conflict = (await stale.json()) as { error: { code: string; details: { revision: number } } }
    expect(conflict.error).toMatchObject({ code: 'STALE_REVISION', details: { revision: 2 } })
    expect((await call<WorkflowJson>(server, owner, 'GET', `/api/v1/workflows/${created.id}`)).name).toBe('Greeter v2')
    await call(server, owner, 'DELETE', `/api/v1/workflows/${created.id}`, undefined, [204])
    expect((await server.fetch(`/api/v1/workflows/${created.id}`, { as: owner })).status).toBe(404)
  })

  it('saves an incomplete draft with the issues that would stop it running, but refuses a non-document', async () => {
    const draft = {
      schemaVersion: 1,
      name: 'Draft',
      nodes: [
        { id: 'out', type: 'output', params: { name: 'x' } },
        { id: 'mystery', type: 'no.such.node' },
      ],
      edges: [],
    }
    const saved = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', draft)
    expect(saved.issues.map((issue) => issue.code)).toEqual(expect.arrayContaining(['UNKNOWN_NODE_TYPE']))
    const refused = await server.fetch('/api/v1/workflows', { method: 'POST', as: owner, json: { name: 42 } })
    expect(refused.status).toBe(400)
    const body = (await refused.json()) as { error: { code: string; details: { issues: unknown[] } } }
    expect(body.error.code).toBe('INVALID_WORKFLOW')
    expect(body.error.details.issues.length).toBeGreaterThan(0)
  })

  it('lists with search and paging, newest first', async () => {
    for (const name of ['Alpha poster', 'Beta poster', 'Gamma clip']) {
      await call(server, owner, 'POST', '/api/v1/workflows', helloWorkflow(name))
    }
    const posters = await call<{ items: { name: string }[]; total: number }>(
      server,
      owner,
      'GET',
      '/api/v1/workflows?search=POSTER&limit=1',
    )
    expect(posters.total).toBe(2)
    expect(posters.items.map((item) => item.name)).toEqual(['Beta poster'])
    const next = await call<{ items: { name: string }[] }>(
      server,
      owner,
      'GET',
      '/api/v1/workflows?search=poster&limit=1&offset=1',
    )
    expect(next.items.map((item) => item.name)).toEqual(['Alpha poster'])
    const bad = await server.fetch('/api/v1/workflows?limit=0', { as: owner })
    expect(bad.status).toBe(400)
  })

  it('duplicates and exports a workflow, and imports the export', async () => {
    const source = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Original'))
    const copy = await call<WorkflowJson>(server, owner, 'POST', `/api/v1/workflows/${source.id}/duplicate`, {})
    expect(copy.name).toBe('Original (copy)')
    expect(copy.id).not.toBe(source.id)
    const exported = await server.fetch(`/api/v1/workflows/${source.id}/export`, { as: owner })
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="Original.json"')
    const imported = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', await exported.json())
    expect(imported.document).toEqual(source.document)
  })

  it('snapshots each run as a version shared by identical documents, and restores one as the draft', async () => {
    const workflow = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow('Versioned'))
    const first = await call<{ versionId: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
      workflowId: workflow.id,
    })
    const again = await call<{ versionId: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
      workflowId: workflow.id,
    })
    expect(again.versionId).toBe(first.versionId)
    await call(server, owner, 'PUT', `/api/v1/workflows/${workflow.id}`, {
      revision: 1,
      document: helloWorkflow('Versioned, edited'),
    })
    const third = await call<{ versionId: string }>(server, owner, 'POST', '/api/v1/runs?wait=30', {
      workflowId: workflow.id,
    })
    expect(third.versionId).not.toBe(first.versionId)
    const versions = await call<{ items: { id: string; name: string }[]; total: number }>(
      server,
      owner,
      'GET',
      `/api/v1/workflows/${workflow.id}/versions`,
    )
    expect(versions.total).toBe(2)
    expect(versions.items.map((version) => version.id)).toEqual([third.versionId, first.versionId])
    const version = await call<{ document: { name: string } }>(
      server,
      owner,
      'GET',
      `/api/v1/versions/${first.versionId}`,
    )
    expect(version.document.name).toBe('Versioned')
    const restored = await call<WorkflowJson>(
      server,
      owner,
      'POST',
      `/api/v1/workflows/${workflow.id}/versions/${first.versionId}/restore`,
      { revision: 2 },
    )
    expect(restored).toMatchObject({ name: 'Versioned', revision: 3 })
  })
})

describe('catalogs and docs', () => {
  it('serves the node and model catalogs', async () => {
    const nodes = await call<{ items: { type: string; params: object }[] }>(server, owner, 'GET', '/api/v1/nodes')
    expect(nodes.items.map((node) => node.type)).toEqual(expect.arrayContaining(['text.template', 'image.generate']))
    const models = await call<{ providers: { id: string; configured: boolean }[]; models: { id: string }[] }>(
      server,
      owner,
      'GET',
      '/api/v1/models?capability=image.generate',
    )
    expect(models.models.length).toBeGreaterThan(0)
    expect(models.providers.find((provider) => provider.id === 'openai')?.configured).toBe(false)
  })

  it('keeps notes and groups, answers a clash of ids with an issue, and runs the graph without them', async () => {
    const note = {
      id: 'why',
      text: '**Why** this works',
      position: { x: 0, y: 200 },
      size: { width: 240, height: 120 },
    }
    const group = {
      id: 'frame',
      label: 'Greeting',
      color: 'blue',
      position: { x: -40, y: -40 },
      size: { width: 800, height: 300 },
    }
    const document = { ...helloWorkflow('Annotated'), notes: [note], groups: [group] }
    const saved = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', document)
    expect(saved.issues).toEqual([])
    const read = await call<{ document: Record<string, unknown> }>(
      server,
      owner,
      'GET',
      `/api/v1/workflows/${saved.id}`,
    )
    expect(read.document.notes).toEqual([note])
    expect(read.document.groups).toEqual([group])
    const run = await server.fetch('/api/v1/runs?wait=30', {
      method: 'POST',
      as: owner,
      json: { workflowId: saved.id },
    })
    const ran = (await run.json()) as { status: string; outputs: Record<string, unknown> }
    expect(ran).toMatchObject({ status: 'succeeded', outputs: { message: 'Hello, World!' } })
    const clash = await call<WorkflowJson>(server, owner, 'POST', '/api/v1/workflows', {
      ...document,
      notes: [{ ...note, id: 'frame' }],
    })
    expect(clash.issues.map((issue) => issue.code)).toEqual(['DUPLICATE_ID'])
    const bad = await server.fetch('/api/v1/workflows', {
      method: 'POST',
      as: owner,
      json: { ...document, notes: [{ ...note, size: { width: 0, height: 0 } }] },
    })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_WORKFLOW')
  })

  it('publishes an OpenAPI 3.1 document and browsable docs that need no network', async () => {
    const doc = (await (await server.fetch('/api/v1/openapi.json')).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, { properties?: Record<string, { items?: { required?: string[] } }> }> }
    }
    expect(doc.openapi).toBe('3.1.0')
    // The document's fields come from core's schema, notes and groups included.
    const document = doc.components.schemas.WorkflowDocument?.properties ?? {}
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining(['schemaVersion', 'nodes', 'edges', 'notes', 'groups']),
    )
    expect(document.groups?.items?.required).toEqual(['id', 'position', 'size'])
    for (const path of ['/api/v1/workflows', '/api/v1/workflows/{id}', '/api/v1/credentials', '/api/v1/api-keys']) {
      expect(doc.paths).toHaveProperty([path])
    }
    const page = await server.fetch('/api/docs')
    const html = await page.text()
    expect(html).toContain('/api/docs/swagger-ui-bundle.js')
    expect(html).not.toMatch(/https?:\/\//)
    const bundle = await server.fetch('/api/docs/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toContain('javascript')
  })
})
