import { randomUUID } from 'node:crypto'
import { type Accounts, authSchema, DEFAULT_ORG_ID, type SqlDatabase } from '@patchbay/db'
import type { Logger } from '@patchbay/runtime'
import { betterAuth } from 'better-auth'
import { drizzleAdapter } from 'better-auth/adapters/drizzle'

export interface AuthOptions {
  database: SqlDatabase
  accounts: Accounts
  secret: string
  publicUrl: string
  trustedOrigins: string[]
  logger: Logger
}

/**
 * Email + password accounts and cookie sessions (better-auth on our Drizzle schema). The
 * first account owns the default organisation; every later one gets an organisation of its
 * own and joins others by invitation.
 */
export function createAuth(options: AuthOptions) {
  const { accounts, logger } = options
  return betterAuth({
    appName: 'Patchbay',
    baseURL: options.publicUrl,
    basePath: '/api/auth',
    secret: options.secret,
    trustedOrigins: options.trustedOrigins,
    database: drizzleAdapter(options.database, { provider: 'pg', schema: authSchema }),
    // No session on sign-up: then better-auth answers an existing email exactly like a new one
    // (a made-up user, no cookie) instead of USER_ALREADY_EXISTS, so sign-up does not reveal who
    // has an account. Clients sign in next (the SDK's `auth.signUp` does both).
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 256, autoSignIn: false },
    // Our own limiter (rate-limiter-flexible) guards sign-in with the API's error format.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: { cookiePrefix: 'patchbay', useSecureCookies: options.publicUrl.startsWith('https:') },
    logger: {
      level: 'error',
      log: (level, message) => logger[level](`auth: ${message}`),
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await accounts.ensureOrg({ id: DEFAULT_ORG_ID, name: 'Default' })
            if ((await accounts.countOwners(DEFAULT_ORG_ID)) === 0) {
              await accounts.putMember({ orgId: DEFAULT_ORG_ID, userId: user.id, role: 'owner' })
              return
            }
            await accounts.createOrg({
              id: randomUUID(),
              name: `${user.name || user.email}'s workspace`,
              ownerId: user.id,
            })
          },
        },
      },
    },
  })
}

export type Auth = ReturnType<typeof createAuth>
