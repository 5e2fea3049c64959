import { ApiError, type Me, type Organisation, type Role } from '@patchbay/sdk'
import { useQuery } from '@tanstack/react-query'
import { create } from 'zustand'
import { api, queryClient } from './api.ts'

const orgKey = 'patchbay.org'
const roleRank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 }

/** The query key of `GET /me`; every other query is refetched when the organisation changes. */
export const meQueryKey = ['me'] as const

/**
 * Who is signed in (`via: 'local'` on a loopback server without sign-in) and their
 * organisations. Errors with 401 when nobody is; the app's guard sends them to /sign-in.
 */
export function useMe() {
  return useQuery<Me, Error>({
    queryKey: meQueryKey,
    queryFn: () => api.me(),
    staleTime: 60_000,
    retry: (failures, error) => !(error instanceof ApiError && error.status < 500) && failures < 2,
  })
}

interface OrgState {
  orgId: string | undefined
}

/** The organisation the app acts in (sent as `X-Patchbay-Org`), remembered across visits. */
export const useOrgStore = create<OrgState>(() => ({ orgId: readSavedOrg() }))

function readSavedOrg(): string | undefined {
  try {
    return localStorage.getItem(orgKey) ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Picks the organisation to act in from `me` (the saved one if still a member, else the first)
 * and tells the API client. Idempotent; the session guard calls it before rendering pages.
 */
export function ensureOrg(me: Me): Organisation | undefined {
  const saved = useOrgStore.getState().orgId
  const org = me.organisations.find((o) => o.id === saved) ?? me.organisations[0]
  api.setOrg(org?.id)
  if (org?.id !== saved) useOrgStore.setState({ orgId: org?.id })
  return org
}

/** Switches organisation: later requests act in `orgId`, and every cached answer is refetched. */
export function switchOrg(orgId: string): void {
  api.setOrg(orgId)
  try {
    localStorage.setItem(orgKey, orgId)
  } catch {
    // The choice lasts for this page only.
  }
  useOrgStore.setState({ orgId })
  void queryClient.resetQueries({ predicate: (query) => query.queryKey[0] !== meQueryKey[0] })
}

/** The organisation the app acts in, once `useMe()` has answered. */
export function useCurrentOrg(): Organisation | undefined {
  const { data } = useMe()
  const orgId = useOrgStore((s) => s.orgId)
  return data?.organisations.find((o) => o.id === orgId) ?? data?.organisations[0]
}

/**
 * The current user's role in the current organisation (`undefined` while loading).
 *
 * @example
 * const readOnly = !roleAtLeast(useRole(), 'editor') // viewers get a read-only canvas
 */
export function useRole(): Role | undefined {
  return useCurrentOrg()?.role
}

/** Whether `role` may do what `min` may (viewer < editor < admin < owner). */
export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && roleRank[role] >= roleRank[min]
}

/** `useCan('editor')`: whether the current role may do what an editor may. */
export function useCan(min: Role): boolean {
  return roleAtLeast(useRole(), min)
}

/** Signs out and forgets every cached answer. */
export async function signOut(): Promise<void> {
  await api.auth.signOut()
  queryClient.clear()
}
