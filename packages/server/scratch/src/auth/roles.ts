import { type Role, roles } from '@patchbay/db'

/** Whether `role` may do what `needed` may (roles are ordered viewer < editor < admin < owner). */
export function hasRole(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed)
}
