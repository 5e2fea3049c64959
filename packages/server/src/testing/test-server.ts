import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { ModelGateway, NodeRegistry } from '@patchbay/core'
import { accountsFor } from '@patchbay/db'
import { createTestStore } from '@patchbay/db/testing'
import { builtinRegistry } from '@patchbay/nodes'
import { gatewayFromEnv } from '@patchbay/providers'
import {
  configFromEnv,
  Engine,
  openAssetStore,
  type PrometheusMetrics,
  type ReadinessCheck,
  type Runtime,
} from '@patchbay/runtime'
import { serverConfigFromEnv } from '../config.ts'
import { createLogger, SecretRedactor } from '../logging/index.ts'
import { deferredCredentials, nodeCredentials, operatorSecrets } from '../node-credentials.ts'
import { openServices } from '../open-services.ts'
import { startServer } from '../serve.ts'
import type { Services } from '../services.ts'
import { loadKeyring, Vault } from '../vault/index.ts'

export interface TestServer {
  url: string
  services: Services
  /** Every line the server logged, for tests that look for leaks. */
  logs: string[]
  /** The log redactor: it holds the operator's secrets only, never tenants' credentials. */
  redactor: SecretRedactor
  /** `fetch` relative to the server; `json` sends a JSON body; `as` picks the caller. */
  fetch(path: string, init?: TestRequestInit): Promise<Response>
  close(): Promise<void>
}

export type Caller = { cookie: string } | { apiKey: string } | 'anonymous'

export interface TestRequestInit extends RequestInit {
  json?: unknown
  as?: Caller
}

export interface TestServerOptions {
  database?: 'pglite' | 'postgres'
  /** Server settings (PORT/HOST are chosen by the harness). */
  env?: NodeJS.ProcessEnv
  /** Environment the model gateway reads (base URLs, the operator's keys). */
  providerEnv?: NodeJS.ProcessEnv
  registry?: NodeRegistry
  /** Replaces the gateway model nodes call (the catalog still comes from `providerEnv`). */
  models?: ModelGateway
  /** Metrics the engine and the model gateway report to, served at `/metrics`. */
  metrics?: PrometheusMetrics
  /** Extra dependencies `/ready` checks. */
  readinessChecks?: Record<string, ReadinessCheck>
}

/**
 * A real server on 127.0.0.1 with a store of its own (PGlite by default), local asset files in
 * a temporary directory (or the S3 bucket `env`'s `S3_*` variables name), the built-in nodes
 * and a vault with a fresh master key.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'patchbay-server-'))
  const logs: string[] = []
  const redactor = new SecretRedactor()
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk))
      done()
    },
  })
  const { logger } = createLogger({ level: 'debug', destination, redactor })
  const port = await freePort()
  const config = serverConfigFromEnv({
    HOST: '127.0.0.1',
    PORT: String(port),
    PATCHBAY_LOCAL_MODE: 'off',
    // Every test signs its people up and in from 127.0.0.1: lift the per-address limits (tests of
    // them set their own); the per-email and run limits keep their defaults.
    PATCHBAY_RATE_LIMIT_SIGN_UP: '0',
    PATCHBAY_RATE_LIMIT_SIGN_UP_PER_HOUR: '0',
    PATCHBAY_RATE_LIMIT_SIGN_IN_PER_ADDRESS: '0',
    ...options.env,
  })
  const testStore = await createTestStore(options.database ?? 'pglite')
  const store = testStore.store
  const accounts = accountsFor(store)
  const credentials = deferredCredentials()
  const providerEnv = options.providerEnv ?? {}
  const { gateway, resourceLimits } = gatewayFromEnv(providerEnv, { credentials })
  for (const value of operatorSecrets(gateway, providerEnv)) redactor.add(value)
  // Local files in dataDir, or the S3 bucket the `S3_*` variables of `env` name.
  const assetConfig = configFromEnv({ ...options.env, PATCHBAY_DATA_DIR: dataDir }).assets
  const assets = await openAssetStore({ dataDir, assets: assetConfig })
  const models = options.models ?? gateway
  const engine = new Engine({
    store,
    assets,
    registry: options.registry ?? builtinRegistry,
    models: options.metrics
      ? options.metrics.instrumentGateway(models, { knownProvider: (id) => gateway.providers.get(id) !== undefined })
      : models,
    resourceLimits,
    logger,
    ...(options.metrics ? { metrics: options.metrics.metrics } : {}),
  })
  const runtime: Runtime = {
    engine,
    store,
    assets,
    config: {
      dataDir,
      databaseUrl: undefined,
      concurrency: 256,
      perRunConcurrency: Number.POSITIVE_INFINITY,
      fileRoots: [],
      allowPrivateHosts: [],
      ...(assetConfig ? { assets: assetConfig } : {}),
    },
    close: async () => {
      await engine.close()
      await testStore.close()
      await assets.close?.()
    },
  }
  const { keyring } = await loadKeyring({ env: {}, dataDir, logger })
  const vault = new Vault({ accounts, keyring })
  credentials.bind(nodeCredentials(vault.credentials(), providerEnv))
  const services = await openServices({
    config,
    runtime,
    accounts,
    gateway,
    vault,
    secret: 'test-secret-that-is-long-enough-for-better-auth',
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.readinessChecks ? { readinessChecks: options.readinessChecks } : {}),
  })
  const server = await startServer(services, { port, host: config.host })
  return {
    url: server.url,
    services,
    logs,
    redactor,
    fetch: (path, init = {}) => fetch(`${server.url}${path}`, requestInit(init)),
    close: async () => {
      await server.close()
      await services.rateLimits.close()
      await runtime.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

function requestInit({ json, as, ...init }: TestRequestInit): RequestInit {
  const headers = new Headers(init.headers)
  if (json !== undefined) {
    headers.set('content-type', 'application/json')
    init.body = JSON.stringify(json)
  }
  if (as && as !== 'anonymous') {
    if ('cookie' in as) headers.set('cookie', as.cookie)
    else headers.set('authorization', `Bearer ${as.apiKey}`)
  }
  return { ...init, headers }
}

/** Creates an account, signs in (sign-up opens no session), and returns the session cookie. */
export async function signUp(
  server: TestServer,
  user: { email: string; password?: string; name?: string },
): Promise<{ cookie: string; userId: string }> {
  const password = user.password ?? 'correct horse battery'
  const response = await server.fetch('/api/auth/sign-up/email', {
    method: 'POST',
    json: { email: user.email, password, name: user.name ?? user.email },
  })
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`)
  const signedIn = await server.fetch('/api/auth/sign-in/email', {
    method: 'POST',
    json: { email: user.email, password },
  })
  if (signedIn.status !== 200) throw new Error(`sign-in failed: ${signedIn.status} ${await signedIn.text()}`)
  const body = (await signedIn.json()) as { user: { id: string } }
  return { cookie: sessionCookie(signedIn), userId: body.user.id }
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function sessionCookie(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
}

/** A port nothing listens on right now (the server's own URL must be known before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
