import { createHash } from 'node:crypto';
import { WordCounter, type Word } from '../charts/wordCloud.js';
import { answerFingerprint, answerTextGroups, numericValueCounts, type ChartSelection, type SameDayMode } from '../db/chartReads.js';
import { redis, redisKey } from '../db/redis.js';
import { completionFingerprint, completionSeries, type CompletionSeries } from '../db/reminderReads.js';

/**
 * Word clouds and histograms need every answer's value (a poll run may hold a million), so they are
 * cached in Redis per org, question, poll runs and selection, with a data version (src/db/chartReads.ts
 * answerFingerprint): the counted answers and numeric totals per poll run, region, day and category,
 * and the newest counter delta not yet squashed. It changes as soon as an answer is added, removed,
 * superseded, replaced or moves region, provided the chart is asked for before the next squash (a
 * minute) when no count or total changed. What it cannot see (that case without a request in
 * between, a contact's language or data fields edited) waits at most the time-to-live.
 */
export const ANSWER_CACHE_TTL_SECONDS = 10 * 60;
/** The effect of reminders is watched while reminders go out: a shorter life for what its version misses. */
export const COMPLETION_CACHE_TTL_SECONDS = 2 * 60;

interface AnswerQuery {
  questionId: number;
  pollRunIds: number[];
  selection: ChartSelection;
}

function cacheKey(kind: string, orgId: number, query: AnswerQuery & { mode?: SameDayMode }): string {
  const { pollRunIds, selection } = query;
  const scope = JSON.stringify({
    runs: [...pollRunIds].sort((a, b) => a - b),
    regions: selection.regionIds ? [...selection.regionIds].sort((a, b) => a - b) : null,
    group: selection.reporterGroupId,
    fields: Object.entries(selection.fields).sort(([a], [b]) => (a < b ? -1 : 1)),
    mode: query.mode ?? null,
  });
  return redisKey(kind, orgId, query.questionId, createHash('sha1').update(scope).digest('hex'));
}

/** What compute returns, from the cache when its data version still holds. */
async function cached<T>(key: string, fingerprint: Promise<string>, ttlSeconds: number, compute: () => Promise<T>): Promise<T> {
  const [version, hit] = await Promise.all([fingerprint, redis().get(key)]);
  if (hit) {
    const entry = JSON.parse(hit) as { version: string; value: T };
    if (entry.version === version) return entry.value;
  }
  const value = await compute();
  await redis().set(key, JSON.stringify({ version, value }), 'EX', ttlSeconds);
  return value;
}

/** What compute returns over a question's answers, cached under their fingerprint. */
function cachedOverAnswers<T>(kind: string, orgId: number, query: AnswerQuery & { mode?: SameDayMode }, compute: () => Promise<T>): Promise<T> {
  return cached(cacheKey(kind, orgId, query), answerFingerprint(orgId, query), ANSWER_CACHE_TTL_SECONDS, compute);
}

/**
 * The word cloud of a question's answers in poll runs (spec §13.5).
 * @param orgId the org.
 * @param questionId the open-ended question.
 * @param pollRunIds the poll runs.
 * @param selection whose answers.
 * @returns the words.
 */
export async function cachedWordCloud(orgId: number, questionId: number, pollRunIds: number[], selection: ChartSelection): Promise<Word[]> {
  if (!pollRunIds.length) return [];
  return cachedOverAnswers('wordcloud', orgId, { questionId, pollRunIds, selection }, async () => {
    const counter = new WordCounter();
    for (const group of await answerTextGroups(orgId, { questionId, pollRunIds, selection })) counter.add(group.value, group.language, group.answers);
    return counter.top();
  });
}

/**
 * The numeric values of a question's answers (one same-day mode) with their answer counts, for
 * histograms (src/db/chartReads.ts numericValueCounts).
 * @param orgId the org.
 * @param query the question, poll runs, same-day mode and selection.
 * @returns [value, answers] pairs.
 */
export async function cachedNumericValueCounts(orgId: number, query: AnswerQuery & { mode: SameDayMode }): Promise<[string, number][]> {
  if (!query.pollRunIds.length) return [];
  return cachedOverAnswers('histogram', orgId, query, () => numericValueCounts(orgId, query));
}

/**
 * The hour-by-hour completions of a poll run's recipients (src/db/reminderReads.ts
 * completionSeries), which read every response of the poll run, cached under a fingerprint of its
 * response counters: a response that becomes complete, moves region or leaves changes it.
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions of the region context; null for every region.
 * @returns the series, or null when the poll run is not the org's.
 */
export async function cachedCompletionSeries(orgId: number, pollRunId: number, regionIds: number[] | null): Promise<CompletionSeries | null> {
  const scope = regionIds ? createHash('sha1').update([...regionIds].sort((a, b) => a - b).join(',')).digest('hex') : 'all';
  const key = redisKey('completions', orgId, pollRunId, scope);
  const stored = await cached(key, completionFingerprint(orgId, pollRunId, regionIds), COMPLETION_CACHE_TTL_SECONDS, async () => {
    const series = await completionSeries(orgId, pollRunId, regionIds);
    return series && { ...series, start: series.start.toISOString() };
  });
  return stored && { ...stored, start: new Date(stored.start) };
}
