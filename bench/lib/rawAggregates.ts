/**
 * The baseline of `npm run bench:pages`: the aggregates each dashboard page shows, computed the way
 * a naive dashboard would, with plain SQL over responses, answers and contacts (no counters). Each
 * function runs the statements of one page, in a row, and returns nothing worth keeping.
 */
import type pg from 'pg';

/** What a baseline reads: the org, the regions in view (null = all), and the page's subject. */
export interface RawScope {
  orgId: number;
  regionIds: number[] | null;
}

const IN_REGIONS = `($2::int[] IS NULL OR c.region_id = ANY($2::int[]))`;
const COUNTED = `r.is_active AND c.is_active AND c.region_id IS NOT NULL`;
const NUMBER = `'^-?[0-9]+(\\.[0-9]+)?$'`;

/** Home: each tracked poll's latest poll run and the 5 newest, their statuses, and the 30-day most active regions and reporter groups. */
export async function rawHome(pool: pg.Pool, scope: RawScope): Promise<void> {
  const params = [scope.orgId, scope.regionIds];
  const { rows } = await pool.query<{ id: number }>(
    `(SELECT DISTINCT ON (pr.poll_id) pr.id FROM poll_runs pr JOIN polls p ON p.id = pr.poll_id AND p.is_active
      WHERE pr.org_id = $1 ORDER BY pr.poll_id, pr.conducted_on DESC)
     UNION (SELECT pr.id FROM poll_runs pr JOIN polls p ON p.id = pr.poll_id AND p.is_active WHERE pr.org_id = $1 ORDER BY pr.conducted_on DESC LIMIT 5)`,
    [scope.orgId]);
  await pool.query(
    `SELECT r.poll_run_id, r.status, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id
     WHERE r.org_id = $1 AND r.poll_run_id = ANY($3::int[]) AND ${COUNTED} AND ${IN_REGIONS} GROUP BY 1, 2`,
    [...params, rows.map((r) => r.id)]);
  const recent = `r.org_id = $1 AND ${COUNTED} AND r.status <> 'E' AND r.updated_on >= now() - interval '30 days' AND ${IN_REGIONS}`;
  await pool.query(
    `SELECT c.region_id, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id WHERE ${recent} GROUP BY 1 ORDER BY 2 DESC LIMIT 5`, params);
  await pool.query(
    `SELECT m.reporter_group_id, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id
     JOIN contact_reporter_groups m ON m.org_id = c.org_id AND m.contact_id = c.id WHERE ${recent} GROUP BY 1 ORDER BY 2 DESC LIMIT 5`, params);
}

/** A question the baselines chart. */
export interface RawQuestion {
  id: number;
  type: 'numeric' | 'multiple_choice' | 'open';
}

const ANSWERS = `answers a JOIN responses r ON r.id = a.response_id JOIN contacts c ON c.id = r.contact_id`;

async function questionOverRuns(pool: pg.Pool, scope: RawScope, question: RawQuestion, runIds: number[]) {
  const params = [scope.orgId, scope.regionIds, question.id, runIds];
  const where = `a.org_id = $1 AND a.question_id = $3 AND a.poll_run_id = ANY($4::int[]) AND ${COUNTED} AND ${IN_REGIONS}`;
  if (question.type === 'numeric') {
    await pool.query(
      `SELECT a.poll_run_id, count(*), sum(a.last_value::numeric), avg(a.last_value::numeric), stddev_pop(a.last_value::numeric)
       FROM ${ANSWERS} WHERE ${where} AND a.last_value ~ ${NUMBER} GROUP BY 1`, params);
    await pool.query(
      `SELECT r.poll_run_id, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id
       WHERE r.org_id = $1 AND r.poll_run_id = ANY($4::int[]) AND ${COUNTED} AND ${IN_REGIONS} AND $3::int IS NOT NULL GROUP BY 1`, params);
  } else if (question.type === 'multiple_choice') {
    await pool.query(`SELECT a.poll_run_id, a.category, count(*) FROM ${ANSWERS} WHERE ${where} GROUP BY 1, 2`, params);
  } else {
    await pool.query(
      `SELECT w, count(*) FROM ${ANSWERS}, regexp_split_to_table(lower(a.value), '[^[:alnum:]]+') w
       WHERE ${where} AND length(w) > 2 GROUP BY w ORDER BY 2 DESC LIMIT 100`, params);
  }
}

/** Poll detail: every question of the poll over all its poll runs. */
export async function rawPollDetail(pool: pg.Pool, scope: RawScope, questions: RawQuestion[], runIds: number[]): Promise<void> {
  for (const question of questions) await questionOverRuns(pool, scope, question, runIds);
}

/** Poll-run summary: every question for one poll run (histogram, category counts, words). */
export async function rawPollRunSummary(pool: pg.Pool, scope: RawScope, questions: RawQuestion[], runId: number): Promise<void> {
  for (const question of questions) {
    if (question.type === 'numeric') {
      const params = [scope.orgId, scope.regionIds, question.id, runId];
      await pool.query(
        `WITH v AS (SELECT a.last_value::numeric AS x FROM ${ANSWERS}
                    WHERE a.org_id = $1 AND a.question_id = $3 AND a.poll_run_id = $4 AND ${COUNTED} AND ${IN_REGIONS} AND a.last_value ~ ${NUMBER}),
              b AS (SELECT min(x) AS lo, max(x) AS hi FROM v)
         SELECT width_bucket(x, b.lo, b.hi + 1, 10), count(*) FROM v, b GROUP BY 1 ORDER BY 1`, params);
    } else {
      await questionOverRuns(pool, scope, question, [runId]);
    }
  }
}

/** Participation: statuses per reporter group and per region for one poll run, and the distinct totals. */
export async function rawParticipation(pool: pg.Pool, scope: RawScope, runId: number): Promise<void> {
  const params = [scope.orgId, scope.regionIds, runId];
  const where = `r.org_id = $1 AND r.poll_run_id = $3 AND ${COUNTED} AND ${IN_REGIONS}`;
  await pool.query(
    `SELECT m.reporter_group_id, r.status, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id
     JOIN contact_reporter_groups m ON m.org_id = c.org_id AND m.contact_id = c.id WHERE ${where} GROUP BY 1, 2`, params);
  await pool.query(`SELECT c.region_id, r.status, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id WHERE ${where} GROUP BY 1, 2`, params);
  await pool.query(`SELECT r.status, count(*) FROM responses r JOIN contacts c ON c.id = r.contact_id WHERE ${where} GROUP BY 1`, params);
}

/** Map: the numeric average per region, or the leading category per region, for one poll run. */
export async function rawMap(pool: pg.Pool, scope: RawScope, question: RawQuestion, runId: number): Promise<void> {
  const params = [scope.orgId, scope.regionIds, question.id, runId];
  const where = `a.org_id = $1 AND a.question_id = $3 AND a.poll_run_id = $4 AND ${COUNTED} AND ${IN_REGIONS}`;
  if (question.type === 'numeric') {
    await pool.query(`SELECT c.region_id, avg(a.last_value::numeric) FROM ${ANSWERS} WHERE ${where} AND a.last_value ~ ${NUMBER} GROUP BY 1`, params);
  } else {
    await pool.query(
      `SELECT DISTINCT ON (region_id) region_id, category, n FROM (
         SELECT c.region_id, a.category, count(*) AS n FROM ${ANSWERS} WHERE ${where} GROUP BY 1, 2) x
       ORDER BY region_id, n DESC, category`, params);
  }
  await pool.query(`SELECT id, simplified FROM boundaries WHERE org_id = $1 ORDER BY level DESC`, [scope.orgId]);
}
