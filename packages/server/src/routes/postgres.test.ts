import { DEFAULT_ORG_ID } from '@patchbay/db'
import { postgresSuiteEnabled } from '@patchbay/db/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, helloWorkflow } from '../testing/fixtures.ts'
import { signUp, startTestServer, type TestServer } from '../testing/test-server.ts'

// The same server on PostgreSQL: accounts, tenancy, the vault and runs.

const withPostgres = await postgresSuiteEnabled('server on PostgreSQL')

describe.skipIf(!withPostgres)('server on PostgreSQL', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer({ database: 'postgres' })
  }, 60_000)

  afterAll(async () => {
    await server?.close()
  })

  it('signs up, stores a credential, runs a workflow and keeps organisations apart', async () => {
    expect(server.services.runtime.store.kind).toBe('postgres')
    const owner = { cookie: (await signUp(server, { email: 'pg-owner@example.com' })).cookie }
    const stranger = { cookie: (await signUp(server, { email: 'pg-stranger@example.com' })).cookie }
    const me = await call<{ organisations: { id: string; role: string }[] }>(server, owner, 'GET', '/api/v1/me')
    expect(me.organisations).toEqual([expect.objectContaining({ id: DEFAULT_ORG_ID, role: 'owner' })])
    const credential = await call<{ id: string }>(server, owner, 'POST', '/api/v1/credentials', {
      name: 'FAL_KEY',
      value: 'fal-secret-value-123',
    })
    expect(await server.services.vault.credentials().get(DEFAULT_ORG_ID, 'FAL_KEY')).toBe('fal-secret-value-123')
    const workflow = await call<{ id: string }>(server, owner, 'POST', '/api/v1/workflows', helloWorkflow())
    const run = await call<{ id: string; status: string; outputs: { message: string } }>(
      server,
      owner,
      'POST',
      '/api/v1/runs?wait=30',
      { workflowId: workflow.id, inputs: { name: 'Postgres' } },
    )
    expect(run).toMatchObject({ status: 'succeeded', outputs: { message: 'Hello, Postgres!' } })
    for (const path of [
      `/api/v1/workflows/${workflow.id}`,
      `/api/v1/runs/${run.id}`,
      `/api/v1/credentials/${credential.id}`,
    ]) {
      expect((await server.fetch(path, { as: stranger })).status).toBe(404)
    }
    const stale = await server.fetch(`/api/v1/workflows/${workflow.id}`, {
      method: 'PUT',
      as: owner,
      json: { revision: 7, document: helloWorkflow('late') },
    })
    expect(stale.status).toBe(409)
  }, 60_000)
})
