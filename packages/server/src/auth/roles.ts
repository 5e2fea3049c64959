import { type Role, roles } from '@patchbay/db'

/** Whether `role` may do what `needed` may (roles are ordered viewer < editor < admin < owner). */
export function hasRole(role: Role, needed: Role): boolean {
  return roles.indexOf(role) >= roles.indexOf(needed)
}

/** The weaker of two roles: what an API key may do when its creator's role is `b`. */
export function lowerRole(a: Role, b: Role): Role {
  return hasRole(a, b) ? b : a
}
