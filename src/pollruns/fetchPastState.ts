import { z } from 'zod';

/** Where one poll of a fetch stands; counts include the runs read from archives. */
export const PollFetchSchema = z.object({
  pollId: z.number().int(),
  name: z.string(),
  flowUuid: z.string(),
  /** Estimated runs of the poll in the period (shown beside the bar; the bar itself follows time). */
  expected: z.number().int().default(0),
  read: z.number().int().default(0),
  created: z.number().int().default(0),
  updated: z.number().int().default(0),
  skipped: z.number().int().default(0),
  /** Cursor of the live walk (`runs?flow=…&after=since&reverse=true`), to resume after a retry. */
  cursor: z.string().nullable().default(null),
  /** modified_on of the last run the live walk read: runs come oldest first, so time is progress. */
  position: z.string().nullable().default(null),
  done: z.boolean().default(false),
});
export type PollFetch = z.infer<typeof PollFetchSchema>;

/** One run archive file to read (runs older than RapidPro's retention, rapidpro-api §5.11). */
export const ArchiveFetchSchema = z.object({
  period: z.enum(['daily', 'monthly']),
  /** YYYY-MM-DD, as archives.json gives it. */
  startDate: z.string(),
  records: z.number().int().default(0),
  /** Rows of the file already applied (files are read in chunks; a retry skips these). */
  offset: z.number().int().default(0),
  done: z.boolean().default(false),
});
export type ArchiveFetch = z.infer<typeof ArchiveFetchSchema>;

/** The progress document of a run_fetches row. */
export const FetchStateSchema = z.object({
  /** Set once the job has listed polls and archives; a retry then only continues. */
  planned: z.boolean().default(false),
  /** RapidPro's time when planned: the end of the period, for time-based progress. */
  until: z.string().nullable().default(null),
  polls: z.array(PollFetchSchema).default([]),
  archives: z.array(ArchiveFetchSchema).default([]),
  /** Runs of tracked polls in the period read from archives (for the log). */
  archivedRead: z.number().int().default(0),
});
export type FetchState = z.infer<typeof FetchStateSchema>;

/**
 * Reads a stored progress document; the column's default (`[]`) and anything unreadable mean
 * "not planned yet".
 * @param raw the stored JSON.
 * @returns the state.
 */
export function readFetchState(raw: unknown): FetchState {
  const parsed = FetchStateSchema.safeParse(Array.isArray(raw) ? {} : raw ?? {});
  return parsed.success ? parsed.data : FetchStateSchema.parse({});
}

/**
 * The first day after an archive's period (UTC).
 * @param archive period and start date.
 * @returns the end instant (exclusive).
 */
export function archiveEnd(archive: Pick<ArchiveFetch, 'period' | 'startDate'>): Date {
  const start = new Date(`${archive.startDate.slice(0, 10)}T00:00:00Z`);
  return archive.period === 'monthly'
    ? new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1))
    : new Date(start.getTime() + 86_400_000);
}

/**
 * How far each poll and the whole fetch are, from 0 to 1. Both phases walk oldest first (archives
 * by period, then the live runs by modified_on), so the share of the period already behind a
 * poll's position is its progress; this needs no run count, which RapidPro cannot give cheaply.
 * @param state the progress document.
 * @param since start of the period.
 * @param finished whether the fetch has ended (everything counts as complete).
 * @returns per poll (same order) and total fractions.
 */
export function fetchFractions(state: FetchState, since: Date, finished: boolean): { polls: number[]; total: number } {
  const until = state.until ? Date.parse(state.until) : Date.now();
  const span = Math.max(1, until - since.getTime());
  const archived = state.archives.filter((a) => a.done).reduce((max, a) => Math.max(max, archiveEnd(a).getTime()), since.getTime());
  const polls = state.polls.map((poll) => {
    if (finished || poll.done) return 1;
    const at = Math.max(archived, poll.position ? Date.parse(poll.position) : 0);
    return Math.min(0.99, Math.max(0, (at - since.getTime()) / span));
  });
  if (finished) return { polls, total: 1 };
  // Bigger polls weigh more; +1 keeps polls estimated at zero runs from vanishing.
  const weights = state.polls.map((p) => p.expected + 1);
  const sum = weights.reduce((a, b) => a + b, 0);
  const total = sum ? polls.reduce((acc, f, i) => acc + f * weights[i]!, 0) / sum : 0;
  return { polls, total: state.planned ? total : 0 };
}
