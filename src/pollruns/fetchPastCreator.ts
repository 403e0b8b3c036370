import type { Org, RunFetch } from '../generated/prisma/client.js';
import { msg } from '../i18n/msg.js';
import { fetchRunsTask } from '../jobs/tasks/FetchRunsTask.js';
import { orgDb } from '../tenancy/orgDb.js';
import { periodMs, type FetchPeriod } from './fetchPastPeriod.js';

/** A queued or running fetch that has not saved anything this long no longer blocks a new one (its worker died). */
export const FETCH_STALE_MS = 60 * 60_000;

/** Why a fetch was refused, as t() keys. */
export const FETCH_REFUSALS = {
  'no-token': msg('This organization has no RapidPro API token yet.'),
  busy: msg('A fetch is already under way; wait for it to finish.'),
} as const;

/** Options of {@link createRunFetch}. */
export interface RunFetchRequest {
  /** How far back to fetch; the period ends now. */
  period: FetchPeriod;
  /** The admin who asked (gets the report by e-mail); null from the CLI. */
  requestedById: number | null;
  /** Queue the job (the page); the CLI's --wait runs it itself. Default true. */
  enqueue?: boolean;
}

/**
 * Records an admin's "fetch past runs" and queues its job (after the insert commits). One fetch
 * per org at a time: they would read the same runs twice.
 * @param org the org.
 * @param request period, requester and whether to queue.
 * @returns the new row, or why none was created.
 */
export async function createRunFetch(org: Org, request: RunFetchRequest): Promise<{ ok: true; fetch: RunFetch } | { ok: false; reason: keyof typeof FETCH_REFUSALS }> {
  if (!org.apiTokenEncrypted) return { ok: false, reason: 'no-token' };
  const scoped = orgDb(org.id);
  const busy = await scoped.runFetch.findFirst({ where: { status: { in: ['queued', 'running'] }, updatedAt: { gt: new Date(Date.now() - FETCH_STALE_MS) } } });
  if (busy) return { ok: false, reason: 'busy' };
  const fetch = await scoped.runFetch.create({
    data: { orgId: org.id, requestedById: request.requestedById, since: new Date(Date.now() - periodMs(request.period)) },
  });
  if (request.enqueue ?? true) await fetchRunsTask.enqueue(org.id, fetch.id);
  return { ok: true, fetch };
}
