import stopwordLists from 'stopword';
import { pgPool } from '../../src/db/pool.js';

/**
 * Plain recounts of what the dashboard charts show, straight from answers, responses and contacts
 * (never the counters): selected responses are the active responses of active contacts with a
 * region, within the regions, reporter group and contact field asked for (spec §13.2, §13.6).
 * Arithmetic is SQL numeric (exact; round() rounds halves away from zero).
 */

/** Whose responses a recount selects. */
export interface Selection {
  runIds: number[];
  regionIds?: number[] | null;
  group?: number | null;
  /** Data-field key and the text its value must contain (case-insensitive). */
  field?: [string, string] | null;
}

const NUMERIC = `'^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?$'`;

/** The selected responses (id, poll run, region, contact language) as a CTE named sel; params $1–$6. */
const SELECTED = `sel AS (
  SELECT r.id, r.poll_run_id, c.region_id, c.language FROM responses r JOIN contacts c ON c.id = r.contact_id
  WHERE r.org_id = $1 AND r.poll_run_id = ANY($2::int[]) AND r.is_active AND c.is_active AND c.region_id IS NOT NULL
    AND ($3::int[] IS NULL OR c.region_id = ANY($3::int[]))
    AND ($4::int IS NULL OR EXISTS (SELECT 1 FROM contact_reporter_groups g WHERE g.contact_id = c.id AND g.reporter_group_id = $4))
    AND ($5::text IS NULL OR position(lower($6::text) IN lower(coalesce(c.fields->>$5, ''))) > 0)
)`;

const params = (orgId: number, s: Selection) => [orgId, s.runIds, s.regionIds ?? null, s.group ?? null, s.field?.[0] ?? null, s.field?.[1] ?? null];

/** The per-poll-run statistic of spec §13.1 (and per region when split). */
export interface RecountStat {
  runId: number;
  regionId: number | null;
  responses: number;
  answers: number;
  sum: number;
  avg: number;
  stdev: number;
  rate: number;
}

/**
 * Recounts the numeric statistic per poll run (and region).
 * @param orgId the org.
 * @param questionId the question.
 * @param s the selection.
 * @param column last_value (use_last), sum_value (sum) or value.
 * @param byRegion per region too.
 * @returns one row per poll run (and region) with selected responses.
 */
export async function numericStats(orgId: number, questionId: number, s: Selection, column: 'last_value' | 'sum_value' | 'value', byRegion = false): Promise<RecountStat[]> {
  const region = byRegion ? 's.region_id' : 'NULL::int';
  const { rows } = await pgPool().query<{ run_id: number; region_id: number | null; responses: number; answers: number; sum: string; avg: string; stdev: string; rate: string }>(
    `WITH ${SELECTED},
     vals AS (
       SELECT a.response_id, CASE WHEN btrim(a.${column}) ~ ${NUMERIC} THEN btrim(a.${column})::numeric END AS n
       FROM answers a WHERE a.org_id = $1 AND a.question_id = $7 AND a.response_id IN (SELECT id FROM sel)
     )
     SELECT s.poll_run_id AS run_id, ${region} AS region_id, count(DISTINCT s.id)::int AS responses, count(v.response_id)::int AS answers,
            round(coalesce(sum(v.n), 0), 1)::text AS sum, round(coalesce(avg(v.n), 0), 1)::text AS avg,
            round(coalesce(stddev_pop(v.n), 0), 1)::text AS stdev,
            round(100.0 * count(v.response_id) / count(DISTINCT s.id), 1)::text AS rate
     FROM sel s LEFT JOIN vals v ON v.response_id = s.id
     GROUP BY 1, 2`,
    [...params(orgId, s), questionId],
  );
  return rows.map((r) => ({ runId: r.run_id, regionId: r.region_id, responses: r.responses, answers: r.answers, sum: Number(r.sum), avg: Number(r.avg), stdev: Number(r.stdev), rate: Number(r.rate) }));
}

/**
 * Recounts a question's summary table over poll runs (spec §13.1): mean and population standard
 * deviation of the per-run averages and the mean rate, 0 for runs without a statistic.
 * @param stats the per-run statistics.
 * @param runIds every charted poll run.
 * @returns mean, stdev and rate average.
 */
export async function summaryOf(stats: RecountStat[], runIds: number[]): Promise<{ mean: number; stdev: number; rateAverage: number }> {
  const byRun = new Map(stats.map((s) => [s.runId, s]));
  const { rows: [row] } = await pgPool().query<{ mean: string; stdev: string; rate: string }>(
    `SELECT round(avg(a), 1)::text AS mean, round(stddev_pop(a), 1)::text AS stdev, round(avg(r), 1)::text AS rate
     FROM unnest($1::numeric[], $2::numeric[]) AS x(a, r)`,
    [runIds.map((id) => String(byRun.get(id)?.avg ?? 0)), runIds.map((id) => String(byRun.get(id)?.rate ?? 0))],
  );
  return { mean: Number(row!.mean), stdev: Number(row!.stdev), rateAverage: Number(row!.rate) };
}

/**
 * Recounts answers per poll run and category (null: no category).
 * @returns rows of run, category and answers.
 */
export async function categoryCounts(orgId: number, questionId: number, s: Selection): Promise<{ runId: number; category: string | null; answers: number }[]> {
  const { rows } = await pgPool().query<{ run_id: number; category: string | null; answers: number }>(
    `WITH ${SELECTED}
     SELECT s.poll_run_id AS run_id, a.category, count(*)::int AS answers
     FROM sel s JOIN answers a ON a.response_id = s.id AND a.question_id = $7 GROUP BY 1, 2`,
    [...params(orgId, s), questionId],
  );
  return rows.map((r) => ({ runId: r.run_id, category: r.category, answers: r.answers }));
}

/**
 * The answers' values with their contacts' languages, in answer order (word clouds).
 * @returns value and language per answer.
 */
export async function answerTexts(orgId: number, questionId: number, s: Selection): Promise<{ value: string; language: string | null }[]> {
  const { rows } = await pgPool().query<{ value: string; language: string | null }>(
    `WITH ${SELECTED}
     SELECT a.value, s.language FROM sel s JOIN answers a ON a.response_id = s.id AND a.question_id = $7 ORDER BY a.id`,
    [...params(orgId, s), questionId],
  );
  return rows;
}

/**
 * Recounts the histogram of spec §13.6.1 in SQL.
 * @returns labels and counts.
 */
export async function histogramOf(orgId: number, questionId: number, s: Selection, column: 'last_value' | 'sum_value'): Promise<{ categories: string[]; data: number[] }> {
  const { rows } = await pgPool().query<{ bins: number; lo: string; hi: string; counts: number[] | null }>(
    `WITH ${SELECTED},
     v AS (SELECT btrim(a.${column})::numeric AS n FROM sel s JOIN answers a ON a.response_id = s.id AND a.question_id = $7 WHERE btrim(a.${column}) ~ ${NUMERIC}),
     b AS (SELECT CASE WHEN min(n) = max(n) THEN 1 ELSE ceil(sqrt(count(*)))::int END AS bins,
                  CASE WHEN min(n) = max(n) THEN min(n) - 0.5 ELSE min(n) END AS lo,
                  CASE WHEN min(n) = max(n) THEN max(n) + 0.5 ELSE max(n) END AS hi FROM v HAVING count(*) > 0)
     SELECT b.bins, b.lo::text, b.hi::text,
            (SELECT array_agg(coalesce(c.n, 0) ORDER BY i) FROM generate_series(0, b.bins - 1) i
             LEFT JOIN (SELECT least(div((v.n - b.lo) * b.bins, b.hi - b.lo), b.bins - 1)::int AS bin, count(*)::int AS n FROM v GROUP BY 1) c ON c.bin = i) AS counts
     FROM b`,
    [...params(orgId, s), questionId],
  );
  const row = rows[0];
  if (!row) return { categories: [], data: [] };
  const { rows: edges } = await pgPool().query<{ edge: string }>(
    `SELECT trim_scale(round($1::numeric + ($2::numeric - $1::numeric) * i / $3, 2))::text AS edge FROM generate_series(0, $3) i ORDER BY i`,
    [row.lo, row.hi, row.bins],
  );
  const label = (e: string) => (e === '-0' ? '0.0' : e.includes('.') ? e : `${e}.0`);
  return { categories: row.counts!.map((_, i) => `${label(edges[i]!.edge)}-${label(edges[i + 1]!.edge)}`), data: row.counts! };
}

/**
 * Recounts map data per boundary (spec §13.7): numeric averages rounded to 2 decimals, or answers
 * per category.
 * @returns boundary id → average text (numeric) or category → answers.
 */
export async function boundaryRows(orgId: number, questionId: number, s: Selection, column: 'last_value' | 'sum_value' | 'value') {
  const from = `FROM sel s JOIN answers a ON a.response_id = s.id AND a.question_id = $7 JOIN regions g ON g.id = s.region_id WHERE g.boundary_id IS NOT NULL`;
  const { rows: numeric } = await pgPool().query<{ boundary_id: number; average: string | null }>(
    `WITH ${SELECTED} SELECT g.boundary_id, round(avg(CASE WHEN btrim(a.${column}) ~ ${NUMERIC} THEN btrim(a.${column})::numeric END), 2)::text AS average ${from} GROUP BY 1`,
    [...params(orgId, s), questionId],
  );
  const { rows: counted } = await pgPool().query<{ boundary_id: number; category: string | null; answers: number }>(
    `WITH ${SELECTED} SELECT g.boundary_id, a.category, count(*)::int AS answers ${from} GROUP BY 1, 2`,
    [...params(orgId, s), questionId],
  );
  const averages = new Map(numeric.filter((r) => r.average !== null).map((r) => [r.boundary_id, r.average!]));
  const categories = new Map<number, Map<string | null, number>>();
  for (const r of counted) {
    const counts = categories.get(r.boundary_id) ?? new Map<string | null, number>();
    counts.set(r.category, r.answers);
    categories.set(r.boundary_id, counts);
  }
  return { averages, categories };
}

/** ISO 639-2 codes → the stopword package's list (a plain table for the reference). */
const STOP_LISTS: Record<string, string> = { eng: 'eng', fra: 'fra', fre: 'fra', swa: 'swa', hau: 'hau', yor: 'yor', spa: 'spa', por: 'por', ara: 'ara', fas: 'fas', per: 'fas' };

/**
 * The word cloud of spec §13.5, written plainly: lowercase, split on what is not a letter, digit,
 * underscore, apostrophe or hyphen, drop words of one character and the contact language's stop
 * words, count, sort by count (ties by first appearance), keep 50.
 * @param answers values and languages in answer order.
 * @returns the words.
 */
export function referenceWordCloud(answers: { value: string | null; language: string | null }[]): { text: string; weight: number }[] {
  const counts: { text: string; weight: number }[] = [];
  for (const { value, language } of answers) {
    if (value === null) continue;
    const stop = new Set((stopwordLists[STOP_LISTS[language ?? ''] ?? ''] ?? []).map((w) => w.toLowerCase()));
    for (const word of value.toLowerCase().split(/[^\p{L}\p{M}\p{N}_'-]/u)) {
      if ([...word].length <= 1 || stop.has(word)) continue;
      const entry = counts.find((c) => c.text === word);
      if (entry) entry.weight += 1;
      else counts.push({ text: word, weight: 1 });
    }
  }
  return counts.map((c, i) => ({ ...c, i })).sort((a, b) => b.weight - a.weight || a.i - b.i).slice(0, 50).map(({ text, weight }) => ({ text, weight }));
}
