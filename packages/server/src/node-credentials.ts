import { DEFAULT_ORG_ID } from '@patchbay/db'
import { type CredentialLookup, chainCredentials, envCredentials, type Gateway } from '@patchbay/providers'
import { recordCredentials } from '@patchbay/runtime'

/**
 * What a node run may use: its organisation's vault entries, then, for the default
 * organisation only, the server's environment variables (the operator's own keys). Another
 * organisation never sees the operator's keys or a third organisation's vault. Every value
 * handed out during a node attempt is recorded in that attempt's secret scope, which removes
 * it from the attempt's error, outputs, events, progress and log lines.
 */
export function nodeCredentials(vault: CredentialLookup, env: NodeJS.ProcessEnv): CredentialLookup {
  const operator = envCredentials(env)
  return recordCredentials(
    chainCredentials(vault, {
      get: (orgId, name) => (orgId === DEFAULT_ORG_ID ? operator.get(orgId, name) : Promise.resolve(undefined)),
    }),
  )
}

/** A lookup whose implementation is supplied later (the vault opens after the gateway is built). */
export function deferredCredentials(): CredentialLookup & { bind(lookup: CredentialLookup): void } {
  // A node task can arrive (a worker's queue is live) before the vault is open: it waits for it.
  let bind: (lookup: CredentialLookup) => void = () => {}
  const bound = new Promise<CredentialLookup>((resolve) => {
    bind = resolve
  })
  return {
    bind: (lookup) => bind(lookup),
    get: async (orgId, name) => (await bound).get(orgId, name),
  }
}

/** The operator's provider keys present in `env`, so the log redactor can strip them. */
export function operatorSecrets(gateway: Gateway, env: NodeJS.ProcessEnv): string[] {
  const values: string[] = []
  for (const entry of gateway.providers.list()) {
    const value = entry.adapter.credentialEnv ? env[entry.adapter.credentialEnv]?.trim() : undefined
    if (value) values.push(value)
  }
  return values
}
