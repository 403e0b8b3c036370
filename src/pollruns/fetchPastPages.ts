import { pgExecutor } from '../db/executor.js';
import { withPgTransaction } from '../db/pool.js';
import { applyRunPage } from '../db/pollRunIngest.js';
import { saveRunFetchProgress } from '../db/runFetches.js';
import { prefetching } from '../lib/prefetch.js';
import { InvalidCursorError, type RapidProClient, type Run } from '../rapidpro/client/index.js';
import { writeRuns } from '../sync/runWrites.js';
import type { ArchiveRef } from './fetchPastEstimate.js';
import type { FetchLog } from './fetchPastReport.js';
import type { FetchState, PollFetch } from './fetchPastState.js';
import { mapRun, type MappedRun, type TrackedPoll } from './runMapping.js';

/** Rows of an archive file applied per transaction (one API page's worth). */
const ARCHIVE_CHUNK = 250;

/** What the phases of one fetch share. */
export interface FetchContext {
  orgId: number;
  fetchId: number;
  timeZone: string;
  /** Start of the period, on RapidPro's clock. */
  since: Date;
  client: RapidProClient;
  /** API requests made so far (earlier attempts included). */
  requests: () => number;
  /** Tracked polls by flow uuid (as ingestion needs them). */
  tracked: Map<string, TrackedPoll>;
  /** The progress document, changed in place and saved with each page. */
  state: FetchState;
  log: FetchLog;
}

/**
 * Saves progress and log outside a page (after a poll ends, say).
 * @param ctx the fetch.
 */
export async function saveProgress(ctx: FetchContext): Promise<void> {
  await withPgTransaction((client) => saveRunFetchProgress(pgExecutor(client), ctx.orgId, ctx.fetchId, { progress: ctx.state, requestsMade: ctx.requests(), log: ctx.log.lines }));
}

/**
 * Applies runs with the stream's ingestion (contacts that joined since the last contacts sync
 * first), counting per poll, and saves progress in the same transaction. Runs of untracked flows
 * or modified before the period are left out.
 * @param ctx the fetch.
 * @param runs the runs of one page or archive chunk.
 * @param mark moves the saved position past these runs, told how many were applied (called inside the transaction).
 * @param always save even when nothing is applied (the end of a walk must be recorded).
 */
async function applyRuns(ctx: FetchContext, runs: Run[], mark: (applied: number) => void, always: boolean): Promise<void> {
  const rows = runs.flatMap((run) => {
    const poll = ctx.tracked.get(run.flow.uuid);
    return poll && run.modifiedOn.ms >= ctx.since.getTime() ? [mapRun(run, poll, ctx.timeZone)] : [];
  });
  if (!rows.length && !always) {
    // Nothing to write: the position advances in memory and is saved with the next page.
    mark(0);
    return;
  }
  const byPoll = new Map<number, MappedRun[]>();
  for (const row of rows) byPoll.set(row.pollId, [...(byPoll.get(row.pollId) ?? []), row]);
  await writeRuns(ctx.orgId, ctx.client, rows, async (client) => {
    for (const [pollId, group] of byPoll) {
      // One call per poll, so created/updated/skipped can be told per poll.
      const counts = await applyRunPage(client, ctx.orgId, group);
      const poll = ctx.state.polls.find((p) => p.pollId === pollId);
      if (!poll) continue;
      poll.read += group.length;
      poll.created += counts.created ?? 0;
      poll.updated += counts.updated ?? 0;
      poll.skipped += counts.skipped ?? 0;
    }
    mark(rows.length);
    await saveRunFetchProgress(pgExecutor(client), ctx.orgId, ctx.fetchId, { progress: ctx.state, requestsMade: ctx.requests(), log: ctx.log.lines });
  });
}

/**
 * Reads the archive files of the plan, oldest first, in chunks from each file's saved offset.
 * Download links expire, so a resumed fetch lists the archives again (one request).
 * @param ctx the fetch.
 * @param listed the archives as listed when planned (fresh links), or null to list them now.
 */
export async function readArchives(ctx: FetchContext, listed: ArchiveRef[] | null): Promise<void> {
  const pending = ctx.state.archives.filter((a) => !a.done);
  if (!pending.length) return;
  const refs = listed ?? (await listRunArchives(ctx.client));
  for (const archive of pending) {
    const ref = refs.find((r) => r.period === archive.period && r.startDate === archive.startDate);
    if (!ref) {
      archive.done = true;
      ctx.log.archiveGone(archive.startDate);
      await saveProgress(ctx);
      continue;
    }
    // Streamed in chunks from the saved offset: lines before it were applied by an earlier attempt.
    let line = 0;
    let chunk: Run[] = [];
    const apply = (last: boolean) => {
      const end = line;
      const runs = chunk;
      chunk = [];
      return applyRuns(ctx, runs, (applied) => {
        archive.offset = end;
        archive.done = last;
        ctx.state.archivedRead += applied;
      }, last);
    };
    for await (const run of ctx.client.archiveRunStream(ref.downloadUrl)) {
      if (line++ < archive.offset) continue;
      chunk.push(run);
      if (chunk.length === ARCHIVE_CHUNK) await apply(false);
    }
    await apply(true);
    if (!archive.done) {
      archive.done = true;
      await saveProgress(ctx);
    }
  }
  ctx.log.archivesRead(ctx.state);
  await saveProgress(ctx);
}

async function listRunArchives(client: RapidProClient): Promise<ArchiveRef[]> {
  const refs: ArchiveRef[] = [];
  for await (const a of client.archives({ type: 'run' })) refs.push({ period: a.period, startDate: a.startDate, records: a.recordCount, downloadUrl: a.downloadUrl });
  return refs;
}

/**
 * Walks each unfinished poll's live runs (`runs?flow=…&after=since&reverse=true&paths=false`,
 * no `responded` filter) from its saved cursor, and logs each poll when it is complete.
 * @param ctx the fetch.
 */
export async function readLive(ctx: FetchContext): Promise<void> {
  for (const poll of ctx.state.polls) {
    if (poll.done) continue;
    if (!ctx.tracked.has(poll.flowUuid)) {
      poll.done = true;
      ctx.log.pollUntracked(poll);
    } else {
      await walkPoll(ctx, poll);
      ctx.log.pollDone(poll);
    }
    await saveProgress(ctx);
  }
}

async function walkPoll(ctx: FetchContext, poll: PollFetch): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      const walk = ctx.client.runs({ flow: poll.flowUuid, after: ctx.since, reverse: true, paths: false, cursor: poll.cursor });
      for await (const page of prefetching(walk.pages())) {
        await applyRuns(ctx, page.items.filter((run) => run.flow.uuid === poll.flowUuid), () => {
          poll.cursor = page.nextCursor;
          poll.done = page.nextCursor === null;
          poll.position = page.items.at(-1)?.modifiedOn.iso ?? poll.position;
        }, true);
      }
      poll.done = true;
      return;
    } catch (error) {
      // A cursor RapidPro no longer accepts: walk the poll again from `since` (re-reads change nothing).
      if (!(error instanceof InvalidCursorError) || attempt > 0) throw error;
      poll.cursor = null;
    }
  }
}
