import type { Role } from '@patchbay/sdk'
import { roleAtLeast } from '../../app/session.ts'

export const roles: Role[] = ['viewer', 'editor', 'admin', 'owner']

export const roleDescriptions: Record<Role, string> = {
  viewer: 'Reads workflows, runs and assets',
  editor: 'Also creates, edits and runs workflows',
  admin: 'Also manages members, keys and credentials',
  owner: 'Also grants ownership',
}

/** The roles someone with `mine` may hand out (never more than their own). */
export function grantableRoles(mine: Role | undefined): Role[] {
  return roles.filter((role) => roleAtLeast(mine, role))
}
