import type { Role } from '../api/types';

const ORDER: Role[] = ['viewer', 'manager', 'admin', 'owner', 'superadmin'];

/** The roles a workspace member can hold, least powerful first. */
export const WORKSPACE_ROLES: Role[] = ['viewer', 'manager', 'admin', 'owner'];

/** Whether `role` passes a check that needs `min` (the server's rule). */
export function atLeast(role: Role | undefined, min: Role): boolean {
  if (!role) return false;
  return ORDER.indexOf(role) >= ORDER.indexOf(min);
}

/** Roles `actor` may hand out or take away: admins up to admin, owners any. */
export function grantableRoles(actor: Role | undefined): Role[] {
  if (actor === 'owner') return WORKSPACE_ROLES;
  if (actor === 'admin') return WORKSPACE_ROLES.filter((r) => r !== 'owner');
  return [];
}
