import { db } from '../db/client.js';
import type { Role } from '../generated/prisma/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import { createUser, temporaryPassword } from './userCreator.js';

export interface InviteResult {
  userId: number;
  /** Set when a new account was made: the administrator passes it on; it must be changed at first sign-in. */
  temporaryPassword: string | null;
  /** True when the address already had an account (in another org) that was added to this one. */
  existingAccount: boolean;
}

/**
 * Adds a person to an org: a new account with a temporary password that must be changed, or an
 * existing account (from another org) given a membership here. An inactive membership is revived.
 * @param orgId the org.
 * @param fields name, e-mail and role.
 * @returns what was done.
 */
export async function inviteMember(orgId: number, fields: { name: string; email: string; role: Role }): Promise<InviteResult> {
  const email = fields.email.trim().toLowerCase();
  const existing = await db().user.findUnique({ where: { email } });
  if (existing) {
    await orgDb(orgId).orgMembership.upsert({
      where: { orgId_userId: { orgId, userId: existing.id } },
      create: { orgId, userId: existing.id, role: fields.role },
      update: { role: fields.role, isActive: true },
    });
    return { userId: existing.id, temporaryPassword: null, existingAccount: true };
  }
  const password = temporaryPassword();
  const user = await createUser({ email, name: fields.name, password, mustChangePassword: true }, { orgId, role: fields.role });
  return { userId: user.id, temporaryPassword: password, existingAccount: false };
}
