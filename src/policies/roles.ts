import type { Role } from '../generated/prisma/enums.js';

/**
 * What each org role may do (spec §4.3 with decision D1). Superusers may do everything.
 * Later issues add their capabilities here and nowhere else.
 */
export const ROLE_CAPABILITIES = {
  'home:read': ['admin', 'supervisor', 'viewer'],
  'org:manage': ['admin'],
  'users:manage': ['admin'],
  'users:read': ['admin', 'supervisor'],
  'contacts:manage': ['admin', 'supervisor'],
  'registrations:read': ['admin', 'supervisor', 'viewer'],
  'registrations:manage': ['admin'],
  'polls:read': ['admin', 'supervisor', 'viewer'],
  'polls:manage': ['admin'],
  'polls:start': ['admin', 'supervisor'],
  'indicators:read': ['admin', 'supervisor', 'viewer'],
  'indicators:manage': ['admin', 'supervisor'],
  // Messages and the inbox (issue 7; D1: viewers see neither; the message log is for admins, §17.10)
  'messages:send': ['admin', 'supervisor'],
  'messages:read': ['admin'],
  'inbox:read': ['admin', 'supervisor'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof ROLE_CAPABILITIES;
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'viewer'];
