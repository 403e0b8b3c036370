import type { OrgMembership, User } from '../generated/prisma/client.js';

/** A member as list rows and cards show them. */
export interface MemberView {
  id: number;
  name: string;
  email: string;
  role: string;
  isActive: boolean;
  lastSignInAt: Date | null;
}

/**
 * Presents a membership with its user.
 * @param membership the membership, with its user.
 * @returns the view model.
 */
export function presentMember(membership: OrgMembership & { user: User }): MemberView {
  return {
    id: membership.userId,
    name: membership.user.name,
    email: membership.user.email,
    role: membership.role,
    isActive: membership.isActive && membership.user.isActive,
    lastSignInAt: membership.user.lastSignInAt,
  };
}
