import type { Request } from 'express';
import { pollRunHeading } from '../../../exports/names.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { orgRegionLinks, visibleRunsWhere } from '../pollruns/visibility.js';

/** How many recent poll runs the contact list shows as columns (spec §17.9). */
export const CONTACT_LIST_RUNS = 3;

/** The contact list's poll-run columns. */
export interface RunColumns {
  runs: { id: number; heading: string }[];
  /** Per column, whether the contact completed that poll run. */
  marks(contactId: number): boolean[];
}

/**
 * The contact list's extra columns (spec §17.9): when a region is picked, the three most recent
 * poll runs visible for it, and which of the page's contacts completed each (one read bounded by
 * those poll runs and the page's contacts).
 * @param req the request (org and region context loaded).
 * @param contactIds the contacts of the page.
 * @returns the columns, or null when no region is picked.
 */
export async function latestRunColumns(req: Request, contactIds: number[]): Promise<RunColumns | null> {
  if (!req.regions?.current) return null;
  const scoped = orgDb(req.org!.id);
  const runs = await scoped.pollRun.findMany({
    where: visibleRunsWhere(req.regions, await orgRegionLinks(req.org!.id)),
    include: { poll: true },
    orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }],
    take: CONTACT_LIST_RUNS,
  });
  const complete = runs.length && contactIds.length
    ? await scoped.response.findMany({
      where: { pollRunId: { in: runs.map((r) => r.id) }, contactId: { in: contactIds }, isActive: true, status: 'C' },
      select: { pollRunId: true, contactId: true },
    })
    : [];
  const done = new Set(complete.map((r) => `${r.pollRunId}:${r.contactId}`));
  return {
    runs: runs.map((r) => ({ id: r.id, heading: pollRunHeading(r, req.org!.timezone) })),
    marks: (contactId) => runs.map((r) => done.has(`${r.id}:${contactId}`)),
  };
}
