import type { Role } from '../generated/prisma/enums.js';
import { ROLE_CAPABILITIES, type Capability } from './roles.js';

/** Who is acting: the signed-in user and, inside an org, their membership. */
export interface Actor {
  userId: number;
  isSuperuser: boolean;
  orgId: number | null;
  role: Role | null;
}

/** Anything that belongs to one org. */
export interface OrgOwned {
  orgId: number;
}

/**
 * Decides whether an actor holds a capability, and, given a subject, whether the subject is in
 * the actor's org. This is the only place that reads roles.
 * @param actor who acts.
 * @param capability what they want to do.
 * @param subject the row acted on, if any.
 * @returns true when allowed.
 */
export function can(actor: Actor, capability: Capability, subject?: OrgOwned): boolean {
  if (subject && subject.orgId !== actor.orgId) return false;
  if (actor.isSuperuser) return true;
  if (!actor.role) return false;
  return (ROLE_CAPABILITIES[capability] as readonly Role[]).includes(actor.role);
}

/**
 * The capabilities an actor holds, for templates (which never work out roles themselves).
 * @param actor who acts.
 * @returns capability → allowed.
 */
export function presentPolicies(actor: Actor): Record<Capability, boolean> {
  const entries = (Object.keys(ROLE_CAPABILITIES) as Capability[]).map((c) => [c, can(actor, c)] as const);
  return Object.fromEntries(entries) as Record<Capability, boolean>;
}

export type { Capability };
