import { z } from 'zod';
import { pgExecutor } from '../../db/executor.js';
import { withPgTransaction } from '../../db/pool.js';
import { applyRunPage, saveRunBackfill } from '../../db/pollRunIngest.js';
import { inBatches, prefetching } from '../../lib/prefetch.js';
import { mapRun, type MappedRun } from '../../pollruns/runMapping.js';
import { loadTrackedPolls } from '../../pollruns/trackedPolls.js';
import { orgDb } from '../../tenancy/orgDb.js';
import type { RapidProClient, Run, WalkPage } from '../../rapidpro/client/index.js';
import type { Syncer } from '../runSync.js';
import { prepareRuns, writePreparedRuns, type AskedContacts, type PreparedRuns } from '../runWrites.js';

/** Runs changed while a walk reads may reach the replica late: each walk re-reads this margin. */
export const RUN_OVERLAP_MS = 5 * 60_000;

/** Runs written per transaction: several API pages, so each statement carries more rows (2,000 measured 0.53× the COPY baseline in bench:sync-runs, 1,000 0.48×). */
export const RUNS_PER_WRITE = 2000;

/** A page of runs reduced to what its write needs: the runs of tracked polls, mapped. */
interface MappedPage {
  items: MappedRun[];
  /** Runs the page held, tracked or not. */
  read: number;
  /** The newest modified_on of the page, in ms (0 when empty). */
  newest: number;
  nextCursor: string | null;
}

/**
 * Maps each page as it arrives, so that the pages a write holds, and the ones read ahead while it
 * runs, hold mapped rows only: the parsed runs die young, which keeps the worker's garbage
 * collection short.
 * @param pages the walk's pages.
 * @param map a run's row, or null for a run of an untracked poll.
 * @returns the mapped pages, in order.
 */
async function* mappedPages(pages: AsyncIterable<WalkPage<Run>>, map: (run: Run) => MappedRun | null): AsyncGenerator<MappedPage> {
  for await (const page of pages) {
    const items: MappedRun[] = [];
    let newest = 0;
    for (const run of page.items) {
      newest = Math.max(newest, run.modifiedOn.ms);
      const row = map(run);
      if (row) items.push(row);
    }
    yield { items, read: page.items.length, newest, nextCursor: page.nextCursor };
  }
}

const runsRead = (page: MappedPage) => page.read;

/** A batch of pages ready to write: its runs with the contacts they need, and where it ends. */
interface Batch extends PreparedRuns {
  /** Runs the pages held, tracked or not. */
  read: number;
  /** The newest modified_on of the pages, in ms (0 when empty). */
  newest: number;
  nextCursor: string | null;
}

/**
 * Groups a walk's mapped pages into batches of RUNS_PER_WRITE runs read and prepares each (fetches
 * the contacts its runs need); read ahead with prefetching, the next batch is read and prepared
 * while the previous one is written.
 * @param orgId the org.
 * @param rapidPro the org's RapidPro client.
 * @param pages the walk's mapped pages.
 * @returns the batches, in order.
 */
async function* batches(orgId: number, rapidPro: RapidProClient, pages: AsyncIterable<MappedPage>): AsyncGenerator<Batch> {
  const asked: AskedContacts = new Set();
  for await (const group of inBatches(pages, RUNS_PER_WRITE, runsRead)) {
    const prepared = await prepareRuns(orgId, rapidPro, group.flatMap((page) => page.items), asked);
    yield {
      ...prepared,
      read: group.reduce((sum, page) => sum + page.read, 0),
      newest: group.reduce((max, page) => Math.max(max, page.newest), 0),
      nextCursor: group.at(-1)!.nextCursor,
    };
  }
}

/** Where a walk stands: from which `after`, how many runs read (kept in sync_states.progress). */
const ProgressSchema = z.object({
  after: z.string().nullable().default(null),
  done: z.number().int().default(0),
});
type Progress = z.infer<typeof ProgressSchema>;

/**
 * Runs of tracked polls, as one workspace-wide incremental stream (D4, rapidpro-api §7.2): every
 * changed run oldest first from the watermark minus an overlap, without a `responded` filter (a run
 * without values is an empty response). Runs of untracked flows are dropped; contacts that joined
 * after the last contacts sync are fetched first (so their runs are not lost behind the watermark);
 * runs of inactive contacts are counted skipped. Each batch of pages is applied with its checkpoint in one
 * transaction, so a killed worker resumes from its cursor and re-reads change nothing.
 */
export const runsSyncer: Syncer = {
  resource: 'runs',
  async run(context) {
    const orgId = context.org.id;
    const timeZone = context.org.timezone;
    const saved = ProgressSchema.safeParse(context.state.progress);
    const mark = context.state.watermark;
    const progress: Progress = saved.success && context.state.cursor
      ? saved.data
      : { after: mark ? new Date(mark.getTime() - RUN_OVERLAP_MS).toISOString() : null, done: 0 };
    const tracked = await loadTrackedPolls(orgId);
    const walk = context.client.runs({ reverse: true, paths: false, ...(progress.after ? { after: progress.after } : {}), cursor: context.state.cursor });
    let watermark = mark;
    let done = progress.done;
    const mapped = mappedPages(walk.pages(), (run) => {
      const poll = tracked.get(run.flow.uuid);
      return poll ? mapRun(run, poll, timeZone) : null;
    });
    for await (const batch of prefetching(batches(orgId, context.client, mapped))) {
      const newest = Math.max(batch.newest, watermark?.getTime() ?? 0);
      watermark = newest ? new Date(newest) : watermark;
      done += batch.read;
      await writePreparedRuns(orgId, batch, async (client) => {
        const counts = await applyRunPage(client, orgId, batch.rows);
        await context.checkpoint(pgExecutor(client), { cursor: batch.nextCursor, watermark, counts, progress: { ...progress, done } });
      });
    }
  },
};

/**
 * The history of newly tracked polls (D4, rapidpro-api §7.2 step 2): for each tracked poll whose
 * walk is not done, `runs(flow, reverse=true, paths=false)` from its saved cursor, each page applied
 * with its cursor in one transaction, through the same ingestion as the stream (so the two never
 * double anything). Untracked polls lose their walk, so tracking a poll again walks it again (the
 * stream drops runs of untracked polls).
 */
export const runsBackfillSyncer: Syncer = {
  resource: 'runs-backfill',
  async run(context) {
    const orgId = context.org.id;
    const scoped = orgDb(orgId);
    const tracked = await loadTrackedPolls(orgId);
    const polls = [...tracked.entries()].map(([flowUuid, poll]) => ({ flowUuid, pollId: poll.pollId }));
    await scoped.runBackfill.deleteMany({ where: { pollId: { notIn: polls.map((p) => p.pollId) } } });
    await scoped.runBackfill.createMany({ data: polls.map((p) => ({ ...p, orgId })), skipDuplicates: true });
    const pending = await scoped.runBackfill.findMany({ where: { completedAt: null }, orderBy: { id: 'asc' } });
    for (const backfill of pending) {
      const poll = tracked.get(backfill.flowUuid);
      if (!poll) continue;
      let done = backfill.done;
      let completed = false;
      const walk = context.client.runs({ flow: backfill.flowUuid, reverse: true, paths: false, cursor: backfill.cursor });
      const mapped = mappedPages(walk.pages(), (run) => (run.flow.uuid === backfill.flowUuid ? mapRun(run, poll, context.org.timezone) : null));
      for await (const batch of prefetching(batches(orgId, context.client, mapped))) {
        const cursor = batch.nextCursor;
        done += batch.read;
        completed = cursor === null;
        await writePreparedRuns(orgId, batch, async (client) => {
          const counts = await applyRunPage(client, orgId, batch.rows);
          await saveRunBackfill(client, orgId, poll.pollId, { cursor, done, completed });
          await context.checkpoint(pgExecutor(client), { counts, progress: { flowUuid: backfill.flowUuid, done } });
        });
      }
      if (!completed) {
        await withPgTransaction(async (client) => {
          await saveRunBackfill(client, orgId, poll.pollId, { cursor: null, done, completed: true });
          await context.checkpoint(pgExecutor(client), {});
        });
      }
    }
  },
};
