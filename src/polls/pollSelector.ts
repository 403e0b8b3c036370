import { db } from '../db/client.js';
import { orgDb } from '../tenancy/orgDb.js';

/** The outcome of a selection: how many polls are tracked, or the ids that are not the org's polls. */
export type PollSelection = { ok: true; tracked: number } | { ok: false; unknown: number[] };

/**
 * Makes exactly the given polls tracked (spec §17.7), atomically: an id that is not one of the
 * org's polls changes nothing. The caller queues the flows sync afterwards (it fetches questions).
 * @param orgId the org.
 * @param pollIds the polls to track.
 * @returns the tracked count, or the unknown ids.
 */
export async function selectPolls(orgId: number, pollIds: number[]): Promise<PollSelection> {
  const wanted = [...new Set(pollIds)];
  const found = await orgDb(orgId).poll.findMany({ where: { id: { in: wanted } }, select: { id: true } });
  const unknown = wanted.filter((id) => !found.some((p) => p.id === id));
  if (unknown.length) return { ok: false, unknown };
  await db().$transaction([
    orgDb(orgId).poll.updateMany({ where: { id: { notIn: wanted }, isActive: true }, data: { isActive: false } }),
    orgDb(orgId).poll.updateMany({ where: { id: { in: wanted } }, data: { isActive: true } }),
  ]);
  return { ok: true, tracked: wanted.length };
}
