/**
 * Where provider credentials come from. Environment variables today; the server's
 * encrypted vault implements the same lookup per organisation.
 */
export interface CredentialLookup {
  /** The credential stored under `name` (e.g. `OPENAI_API_KEY`) for `orgId`, if any. */
  get(orgId: string, name: string): Promise<string | undefined>
}

/** Reads credentials from environment variables, the same for every organisation. */
export function envCredentials(env: NodeJS.ProcessEnv = process.env): CredentialLookup {
  return {
    get: async (_orgId, name) => {
      const value = env[name]?.trim()
      return value ? value : undefined
    },
  }
}

/** Tries each lookup in turn (e.g. an organisation's vault, then the environment). */
export function chainCredentials(...lookups: CredentialLookup[]): CredentialLookup {
  return {
    async get(orgId, name) {
      for (const lookup of lookups) {
        const value = await lookup.get(orgId, name)
        if (value !== undefined) return value
      }
      return undefined
    },
  }
}
