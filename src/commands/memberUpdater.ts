import type { Role } from '../generated/prisma/client.js';
import { db } from '../db/client.js';
import { orgDb } from '../tenancy/orgDb.js';
import { msg } from '../i18n/msg.js';

/**
 * Changes a member's name and role in one org. An administrator cannot demote themselves, so an
 * org never loses its last way in by accident.
 * @param orgId the org.
 * @param actorId who acts.
 * @param userId the member.
 * @param fields the new name and role.
 * @returns an error key, or null when saved.
 */
export async function updateMember(orgId: number, actorId: number, userId: number, fields: { name: string; role: Role }) {
  const membership = await orgDb(orgId).orgMembership.findFirst({ where: { userId } });
  if (!membership) return 'Not found';
  if (userId === actorId && membership.role === 'admin' && fields.role !== 'admin') return msg('You cannot remove your own administrator role.');
  await db().$transaction([
    orgDb(orgId).orgMembership.update({ where: { id: membership.id }, data: { role: fields.role } }),
    db().user.update({ where: { id: userId }, data: { name: fields.name } }),
  ]);
  return null;
}

/**
 * Deactivates or reactivates a member's access to one org (their account and other orgs are untouched).
 * @param orgId the org.
 * @param actorId who acts.
 * @param userId the member.
 * @param active the new state.
 * @returns an error key, or null when done.
 */
export async function setMemberActive(orgId: number, actorId: number, userId: number, active: boolean) {
  if (userId === actorId && !active) return msg('You cannot deactivate yourself.');
  const { count } = await orgDb(orgId).orgMembership.updateMany({ where: { userId }, data: { isActive: active } });
  return count === 1 ? null : 'Not found';
}
