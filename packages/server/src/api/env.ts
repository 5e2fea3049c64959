import type { Role } from '@patchbay/db'
import type { Services } from '../services.ts'

/** Who is calling, before an organisation is chosen. */
export type Identity =
  | { kind: 'user'; userId: string; name: string; email: string }
  /**
   * `role` is the key's own role capped by its creator's current role in `orgId`;
   * `createdBy` is that creator (null for a key an operator made in local mode).
   */
  | { kind: 'apiKey'; apiKeyId: string; orgId: string; role: Role; createdBy: string | null }
  /** Single-user local mode: an anonymous request over loopback acts as the default organisation's owner. */
  | { kind: 'local' }

/** Who is calling, in which organisation, with which role: every org-scoped route reads this. */
export interface Actor {
  identity: Identity
  /** The signed-in user, when there is one (API keys and local mode act without one). */
  userId: string | null
  orgId: string
  role: Role
}

/** Hono's environment for every API route. */
export interface AppEnv {
  Variables: {
    services: Services
    /** Set by `authenticate` (undefined for anonymous requests). */
    identity: Identity | undefined
    /** Set by `requireRole`. */
    actor: Actor
  }
}
