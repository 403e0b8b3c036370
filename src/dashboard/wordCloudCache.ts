import { createHash } from 'node:crypto';
import { WordCounter, type Word } from '../charts/wordCloud.js';
import { answerFingerprint, answerTextGroups, type ChartSelection } from '../db/chartReads.js';
import { redis, redisKey } from '../db/redis.js';

/**
 * Word clouds need every answer's text (a poll run may hold ~400k), so they are cached in Redis
 * per org, question, poll runs and selection, with a data version (src/db/chartReads.ts
 * answerFingerprint): the counted answers per poll run, region, day and category, and the newest
 * counter delta not yet squashed. It changes as soon as an answer is added, removed, superseded,
 * replaced or moves region, provided the cloud is asked for before the next squash (a minute) when
 * no count changed. What it cannot see (that case without a request in between, a contact's
 * language or data fields edited) waits at most the time-to-live.
 */
export const WORD_CLOUD_TTL_SECONDS = 10 * 60;

function cacheKey(orgId: number, questionId: number, pollRunIds: number[], selection: ChartSelection): string {
  const scope = JSON.stringify({
    runs: [...pollRunIds].sort((a, b) => a - b),
    regions: selection.regionIds ? [...selection.regionIds].sort((a, b) => a - b) : null,
    group: selection.reporterGroupId,
    fields: Object.entries(selection.fields).sort(([a], [b]) => (a < b ? -1 : 1)),
  });
  return redisKey('wordcloud', orgId, questionId, createHash('sha1').update(scope).digest('hex'));
}

/**
 * The word cloud of a question's answers in poll runs (spec §13.5), from the cache when its data
 * version still holds.
 * @param orgId the org.
 * @param questionId the open-ended question.
 * @param pollRunIds the poll runs.
 * @param selection whose answers.
 * @returns the words.
 */
export async function cachedWordCloud(orgId: number, questionId: number, pollRunIds: number[], selection: ChartSelection): Promise<Word[]> {
  if (!pollRunIds.length) return [];
  const key = cacheKey(orgId, questionId, pollRunIds, selection);
  const [version, cached] = await Promise.all([answerFingerprint(orgId, { questionId, pollRunIds, selection }), redis().get(key)]);
  if (cached) {
    const entry = JSON.parse(cached) as { version: string; words: Word[] };
    if (entry.version === version) return entry.words;
  }
  const counter = new WordCounter();
  for (const group of await answerTextGroups(orgId, { questionId, pollRunIds, selection })) counter.add(group.value, group.language, group.answers);
  const words = counter.top();
  await redis().set(key, JSON.stringify({ version, words }), 'EX', WORD_CLOUD_TTL_SECONDS);
  return words;
}
