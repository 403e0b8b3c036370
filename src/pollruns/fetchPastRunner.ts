import { db } from '../db/client.js';
import type { Org, RunFetch } from '../generated/prisma/client.js';
import { translator } from '../i18n/index.js';
import { displayName } from '../polls/flows.js';
import { InvalidTokenError, ThrottledError } from '../rapidpro/client/index.js';
import { notifyInvalidToken } from '../sync/invalidTokenNotice.js';
import { MissingTokenError, rapidProFor } from '../sync/rapidProFor.js';
import { orgDb } from '../tenancy/orgDb.js';
import { countingClient } from './fetchPastClient.js';
import { estimateFetch, hourlyBudget, loadEstimateBasis, serverSince, type ArchiveRef } from './fetchPastEstimate.js';
import { readArchives, readLive, type FetchContext } from './fetchPastPages.js';
import { FetchLog, mailFetchReport } from './fetchPastReport.js';
import { ArchiveFetchSchema, PollFetchSchema, readFetchState, type FetchState } from './fetchPastState.js';
import { loadTrackedPolls } from './trackedPolls.js';

/** How a run of a fetch ended: finished, gone (nothing to do), or paused by RapidPro until resumeAt. */
export type FetchRunOutcome = { status: 'done' | 'failed' | 'gone' } | { status: 'throttled'; resumeAt: Date };

/** A reason to stop that no retry can fix. */
class FetchStopped extends Error {}

/**
 * Runs (or resumes) one "fetch past runs" (spec §9.6): plans it once (polls, archives, estimate),
 * reads the archives older than RapidPro's retention, then each tracked poll's live runs since the
 * period's start, with the stream's ingestion. Progress is saved with every page, so a retried
 * job continues where the last one stopped. The periodic runs cursor (sync_states) is never
 * touched. When done or failed, the log is e-mailed to the requester.
 * @param orgId the org.
 * @param fetchId the run_fetches row.
 * @param options finalAttempt: an error fails the fetch (otherwise it is rethrown for a retry).
 * @returns how it ended.
 */
export async function runFetchPast(orgId: number, fetchId: number, options: { finalAttempt?: boolean } = {}): Promise<FetchRunOutcome> {
  const row = await orgDb(orgId).runFetch.findFirst({ where: { id: fetchId } });
  const org = await db().org.findUnique({ where: { id: orgId } });
  if (!row || !org || row.status === 'done' || row.status === 'failed') return { status: 'gone' };
  const requester = row.requestedById ? await db().user.findUnique({ where: { id: row.requestedById } }) : null;
  const language = requester?.language ?? org.defaultLanguage;
  const log = new FetchLog([...row.log], translator(language), org.timezone, language);
  let requests = () => row.requestsMade;
  let serverTime = () => null as Date | null;
  try {
    if (!org.isActive) throw new FetchStopped(log.t('The organization is inactive.'));
    const counting = countingClient(rapidProFor(org), row.requestsMade);
    requests = counting.requests;
    serverTime = () => counting.client.serverTime();
    const tracked = await loadTrackedPolls(orgId);
    let state = readFetchState(row.progress);
    let since = row.since;
    let listed: ArchiveRef[] | null = null;
    if (!state.planned) ({ state, since, listed } = await plan(org, row, counting, log));
    const ctx: FetchContext = { orgId, fetchId, timeZone: org.timezone, since, client: counting.client, requests, tracked, state, log };
    await readArchives(ctx, listed);
    await readLive(ctx);
    log.done(state, requests());
    await orgDb(orgId).runFetch.update({ where: { id: fetchId }, data: { status: 'done', finishedAt: new Date(), progress: state, requestsMade: requests(), log: log.lines } });
    await mailFetchReport(org, requester, language, { failed: false, lines: log.lines });
    return { status: 'done' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const save = (data: object) => orgDb(orgId).runFetch.update({ where: { id: fetchId }, data: { requestsMade: requests(), log: log.lines, ...data } });
    if (error instanceof ThrottledError) {
      // retryAt is on RapidPro's clock; wait the same span on ours.
      const wait = Math.max(1_000, error.retryAt.getTime() - (serverTime() ?? new Date()).getTime());
      const resumeAt = new Date(Date.now() + wait);
      log.throttled(resumeAt);
      await save({});
      return { status: 'throttled', resumeAt };
    }
    if (error instanceof InvalidTokenError) await notifyInvalidToken(org, message);
    const permanent = error instanceof FetchStopped || error instanceof InvalidTokenError || error instanceof MissingTokenError;
    if (!options.finalAttempt && !permanent) {
      log.retrying(message);
      await save({});
      throw error;
    }
    log.failed(message);
    await save({ status: 'failed', error: message.slice(0, 2000), finishedAt: new Date() });
    await mailFetchReport(org, requester, language, { failed: true, lines: log.lines });
    return { status: 'failed' };
  }
}

/**
 * Plans a fetch: reads flows and archives fresh, moves the period's start onto RapidPro's clock,
 * lists the tracked polls and the archive files to read, and marks the fetch running.
 * @returns the new state, the start of the period, and the archives as listed (fresh links).
 */
async function plan(org: Org, row: RunFetch, counting: ReturnType<typeof countingClient>, log: FetchLog): Promise<{ state: FetchState; since: Date; listed: ArchiveRef[] }> {
  const basis = await loadEstimateBasis(org.id, counting.client, true);
  const since = serverSince(basis, row.since);
  const polls = await orgDb(org.id).poll.findMany({ where: { isActive: true }, orderBy: { rapidproName: 'asc' } });
  const estimate = estimateFetch(basis, polls.map((p) => p.flowUuid), since, hourlyBudget(org));
  const state: FetchState = {
    planned: true,
    until: basis.serverNow,
    archivedRead: 0,
    polls: polls.map((p) => PollFetchSchema.parse({ pollId: p.id, name: displayName(p), flowUuid: p.flowUuid, expected: estimate.perFlow.get(p.flowUuid) ?? 0 })),
    // Without tracked polls there is nothing to look for in the archives.
    archives: polls.length ? estimate.archives.map((a) => ArchiveFetchSchema.parse({ period: a.period, startDate: a.startDate, records: a.records })) : [],
  };
  log.started(since, state.polls.length, state.archives.length, estimate.requests);
  await orgDb(org.id).runFetch.update({
    where: { id: row.id },
    data: { status: 'running', startedAt: new Date(), since, estimatedRequests: estimate.requests, progress: state, requestsMade: counting.requests(), log: log.lines },
  });
  return { state, since, listed: basis.archives };
}
