import type pg from 'pg';
import type { MappedAnswer, MappedRun } from '../pollruns/runMapping.js';
import type { SyncCounts } from '../sync/resources.js';

/** What applying a page of runs did: created/updated responses, and runs skipped for their contact. */
export type RunPageCounts = Pick<SyncCounts, 'created' | 'updated' | 'skipped'>;

const QUOTE_OR_BACKSLASH = /["\\]/;
const QUOTES_AND_BACKSLASHES = /["\\]/g;

/**
 * A Postgres array literal of one column of rows, every element quoted (NULL for null), built in one
 * join: pg encodes array parameters element by element into a growing string, which costs the
 * worker more garbage than Postgres spends reading them.
 * @param rows the rows.
 * @param pick the column's value of a row.
 * @returns the literal, e.g. {"a","b\\"c",NULL}.
 */
function arrayLiteral<R>(rows: readonly R[], pick: (row: R) => string | number | null): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const value = pick(rows[i]!);
    if (value === null) parts[i] = 'NULL';
    else if (typeof value === 'number') parts[i] = String(value);
    else parts[i] = QUOTE_OR_BACKSLASH.test(value) ? `"${value.replace(QUOTES_AND_BACKSLASHES, '\\$&')}"` : `"${value}"`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * Applies one page of mapped runs of tracked polls to an org, on the page's pg connection (inside
 * its transaction), in one statement and, only when the page overlaps stored rows, a second one
 * (spec §9.2–9.3 with D4/D5, §10.1):
 * 1. each run joins the poll run of its flow start, else the daily universal poll run of its
 *    org-local day, created when missing (§23.1); responses are upserted by (org, run uuid) only
 *    when the run's modified_on is newer than the stored one (a re-read changes nothing, §24.7), with
 *    their answers (one per active question); runs of contacts unknown here or inactive are skipped
 *    (invariant 17), and create no poll run;
 * 2. a run of a flow start replaces the empty response the start created for its contact (§23.1);
 *    each touched (poll run, contact) keeps only its latest-created response active (§24.8), and each
 *    touched (contact, question, org-local day) gets its lastValue and sumValue recomputed (§24.11–12).
 * @param client the page's connection, in a transaction.
 * @param orgId the org.
 * @param runs the mapped runs of the page (one per run uuid; the newest wins).
 * @returns created, updated and skipped counts.
 */
export async function applyRunPage(client: pg.PoolClient, orgId: number, runs: MappedRun[]): Promise<RunPageCounts> {
  if (!runs.length) return {};
  const byUuid = new Map<string, MappedRun>();
  for (const run of runs) {
    const seen = byUuid.get(run.runUuid);
    if (!seen || seen.modifiedOn <= run.modifiedOn) byUuid.set(run.runUuid, run);
  }
  const page = [...byUuid.values()];
  const col = (pick: (r: MappedRun) => string | number | null) => arrayLiteral(page, pick);
  const answers: [MappedRun, MappedAnswer][] = [];
  for (const run of page) for (const answer of run.answers) answers.push([run, answer]);
  const answerCol = (pick: (r: MappedRun, a: MappedAnswer) => string | number | null) => arrayLiteral(answers, ([r, a]) => pick(r, a));
  // The stream and a backfill may hold pages of the same contact: one writer per org at a time keeps
  // "one active response per (poll run, contact)" true (each statement sees the other's commits).
  // Every statement below reaches rows through an index, one probe per incoming row: on tables that
  // grew since their last ANALYZE (any first import) the planner would otherwise pick whole-org
  // scans. Unanalyzed tables also make cost estimates high enough to JIT-compile each statement,
  // which costs more than running it.
  await client.query({
    name: 'ingest-lock',
    text: `SELECT pg_advisory_xact_lock(hashtext('poll-run-ingest'), $1), set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`,
    values: [orgId],
  });

  // Unnamed statements, so each page's is planned for its tables as they are: a plan cached while
  // they were small probes through whichever index tied then, for good. (plan_cache_mode would do
  // the same, but also re-plans every foreign-key check of every row.)
  const { rows: [result] } = await client.query<{ created: number; updated: number; skipped: number; pairs: [number, number][] | null; groups: [number, number, string][] | null }>({
    text: `WITH incoming AS (
       SELECT * FROM unnest($2::varchar[], $3::int[], $4::varchar[], $5::varchar[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
         AS u(run_uuid, poll_id, contact_uuid, start_uuid, local_day, created_on, updated_on, modified_on, status, exit_type, exited_on)
     ),
     started AS (
       -- The poll run whose flow start a run came from, once per start of the page (§23.1).
       SELECT s.poll_id, s.start_uuid, (
         SELECT p.id FROM poll_runs p WHERE p.org_id = $1 AND p.poll_id = s.poll_id
           AND p.type IN ('regional', 'propagated') AND s.start_uuid = ANY(p.flow_start_uuids) ORDER BY p.id LIMIT 1) AS poll_run_id
       FROM (SELECT DISTINCT poll_id, start_uuid FROM incoming WHERE start_uuid IS NOT NULL) s
     ),
     resolved AS (
       -- One unique-index probe per run for its contact; unknown or inactive contacts drop out here.
       SELECT i.*, c.id AS contact_id, c.region_id, c.group_ids, s.poll_run_id AS start_run_id
       FROM incoming i CROSS JOIN LATERAL (
         SELECT k.id, k.region_id, ARRAY(SELECT m.reporter_group_id FROM contact_reporter_groups m
                                         WHERE m.org_id = $1 AND m.contact_id = k.id ORDER BY 1) AS group_ids
         FROM contacts k WHERE k.org_id = $1 AND k.uuid = i.contact_uuid AND k.is_active OFFSET 0
       ) c
       LEFT JOIN started s ON s.poll_id = i.poll_id AND s.start_uuid = i.start_uuid
     ),
     days AS (
       -- Runs no flow start claims join the daily universal poll run of their org-local day (§23.1).
       SELECT d.*, (SELECT p.id FROM poll_runs p WHERE p.org_id = $1 AND p.poll_id = d.poll_id AND p.type = 'universal' AND p.local_day = d.local_day) AS id
       FROM (SELECT poll_id, local_day::date AS local_day, min(created_on::timestamptz) AS conducted_on
             FROM resolved WHERE start_run_id IS NULL GROUP BY 1, 2) d
     ),
     new_days AS (
       -- No other writer creates universal poll runs, and ingestion holds the org's lock: none can
       -- appear between this statement's snapshot and its insert.
       INSERT INTO poll_runs (org_id, poll_id, type, conducted_on, local_day, flow_start_uuids, created_at, updated_at)
       SELECT $1, poll_id, 'universal', conducted_on, local_day, '{}', now(), now() FROM days WHERE id IS NULL
       ON CONFLICT (org_id, poll_id, type, local_day) DO NOTHING
       RETURNING id, poll_id, local_day
     ),
     daily AS (
       SELECT poll_id, local_day, id FROM days WHERE id IS NOT NULL
       UNION ALL
       SELECT poll_id, local_day, id FROM new_days
     ),
     existing AS (
       SELECT e.* FROM resolved r CROSS JOIN LATERAL (
         SELECT id, run_uuid, rapidpro_modified_on FROM responses WHERE org_id = $1 AND run_uuid = r.run_uuid FOR UPDATE OFFSET 0
       ) e
     ),
     wanted AS (
       SELECT r.*, coalesce(r.start_run_id, d.id) AS poll_run_id, e.id AS existing_id
       FROM resolved r
       LEFT JOIN daily d ON r.start_run_id IS NULL AND d.poll_id = r.poll_id AND d.local_day = r.local_day::date
       LEFT JOIN existing e ON e.run_uuid = r.run_uuid
       WHERE e.id IS NULL OR e.rapidpro_modified_on IS NULL OR r.modified_on::timestamptz > e.rapidpro_modified_on
     ),
     written AS (
       INSERT INTO responses (org_id, poll_run_id, poll_id, contact_id, run_uuid, created_on, updated_on, completed_on, status,
                              is_active, exit_type, rapidpro_modified_on, region_id, group_ids, contact_counted, created_at, updated_at)
       SELECT $1, w.poll_run_id, w.poll_id, w.contact_id, w.run_uuid, w.created_on::timestamptz, w.updated_on::timestamptz,
              CASE WHEN w.status = 'C' THEN COALESCE(w.exited_on::timestamptz, w.modified_on::timestamptz) END,
              w.status::"ResponseStatus", true, w.exit_type, w.modified_on::timestamptz,
              w.region_id, w.group_ids, w.region_id IS NOT NULL, now(), now()
       FROM wanted w
       ON CONFLICT (org_id, run_uuid) DO UPDATE SET
         updated_on = EXCLUDED.updated_on, status = EXCLUDED.status, exit_type = EXCLUDED.exit_type,
         completed_on = COALESCE(responses.completed_on, EXCLUDED.completed_on),
         rapidpro_modified_on = EXCLUDED.rapidpro_modified_on, updated_at = now()
       RETURNING id, run_uuid, poll_run_id, contact_id, is_active AND contact_counted AS counted, region_id, group_ids
     ),
     old_answers AS (
       SELECT a.id, a.question_id, a.contact_id, a.local_day, w.run_uuid FROM wanted w CROSS JOIN LATERAL (
         SELECT id, question_id, contact_id, local_day FROM answers WHERE org_id = $1 AND response_id = w.existing_id OFFSET 0
       ) a
     ),
     incoming_answers AS (
       SELECT * FROM unnest($13::varchar[], $14::int[], $15::text[], $16::text[], $17::text[], $18::text[])
         AS u(run_uuid, question_id, value, category, submitted_on, local_day)
     ),
     answered AS (
       INSERT INTO answers (org_id, response_id, question_id, contact_id, poll_run_id, value, category, submitted_on, local_day,
                            last_value, sum_value, counted, region_id, group_ids)
       SELECT $1, wr.id, ia.question_id, wr.contact_id, wr.poll_run_id, ia.value, ia.category, ia.submitted_on::timestamptz,
              ia.local_day::date, ia.value, coalesce(tracpro_sum_text(tracpro_numeric(ia.value)), ia.value), wr.counted, wr.region_id, wr.group_ids
       FROM written wr JOIN incoming_answers ia ON ia.run_uuid = wr.run_uuid
       ON CONFLICT (org_id, response_id, question_id) DO UPDATE SET
         value = EXCLUDED.value, category = EXCLUDED.category, submitted_on = EXCLUDED.submitted_on, local_day = EXCLUDED.local_day,
         contact_id = EXCLUDED.contact_id, poll_run_id = EXCLUDED.poll_run_id
       RETURNING response_id, contact_id, question_id, local_day
     ),
     dropped AS (
       -- Values gone from the run, or of questions no longer active, leave with the old copy (§9.2 step 5).
       DELETE FROM answers WHERE id = ANY(ARRAY(
         SELECT o.id FROM old_answers o
         WHERE NOT EXISTS (SELECT 1 FROM incoming_answers ia WHERE ia.run_uuid = o.run_uuid AND ia.question_id = o.question_id)
       ))
     ),
     -- Only what a later statement must settle: responses with another response of their contact in
     -- the poll run (supersession), and same-day groups with more than one answer or with changed
     -- answers. A lone new answer was written with its final same-day values.
     overlapping AS (
       SELECT DISTINCT w.poll_run_id, w.contact_id FROM written w
       WHERE EXISTS (SELECT 1 FROM responses r WHERE r.org_id = $1 AND r.poll_run_id = w.poll_run_id AND r.contact_id = w.contact_id AND r.id <> w.id)
          OR (w.poll_run_id, w.contact_id) IN (SELECT poll_run_id, contact_id FROM written GROUP BY 1, 2 HAVING count(*) > 1)
     ),
     touched AS (
       SELECT contact_id, question_id, local_day FROM old_answers
       UNION
       SELECT a.contact_id, a.question_id, a.local_day FROM answered a
       WHERE EXISTS (SELECT 1 FROM answers o WHERE o.org_id = $1 AND o.contact_id = a.contact_id AND o.question_id = a.question_id
                       AND o.local_day = a.local_day AND o.response_id <> a.response_id)
          OR (a.contact_id, a.question_id, a.local_day) IN (SELECT contact_id, question_id, local_day FROM answered GROUP BY 1, 2, 3 HAVING count(*) > 1)
     )
     SELECT (SELECT count(*) FROM wanted WHERE existing_id IS NULL)::int AS created,
            (SELECT count(*) FROM wanted WHERE existing_id IS NOT NULL)::int AS updated,
            ((SELECT count(*) FROM incoming) - (SELECT count(*) FROM resolved))::int AS skipped,
            (SELECT json_agg(json_build_array(poll_run_id, contact_id)) FROM overlapping) AS pairs,
            (SELECT json_agg(json_build_array(contact_id, question_id, local_day::text)) FROM touched) AS groups`,
    values: [
      orgId, col((r) => r.runUuid), col((r) => r.pollId), col((r) => r.contactUuid), col((r) => r.startUuid), col((r) => r.localDay),
      col((r) => r.createdOn.toISOString()), col((r) => r.updatedOn.toISOString()), col((r) => r.modifiedOn), col((r) => r.status),
      col((r) => r.exitType), col((r) => r.exitedOn?.toISOString() ?? null),
      answerCol((r) => r.runUuid), answerCol((_, a) => a.questionId), answerCol((_, a) => a.value), answerCol((_, a) => a.category),
      answerCol((_, a) => a.submittedOn.toISOString()), answerCol((_, a) => a.localDay),
    ],
  });
  const pairs = result!.pairs ?? [];
  const groups = result!.groups ?? [];
  if (pairs.length) {
    // A run of a flow start takes the place of the empty response its start created for the
    // contact (§23.1): the placeholder goes, rather than staying behind as a second response.
    // An empty response newer than every run (a restart not yet answered) stays.
    await client.query({
      text: `DELETE FROM responses e USING unnest($2::int[], $3::int[]) AS p(poll_run_id, contact_id)
       WHERE e.org_id = $1 AND e.poll_run_id = p.poll_run_id AND e.contact_id = p.contact_id AND e.run_uuid IS NULL
         AND EXISTS (SELECT 1 FROM responses r WHERE r.org_id = $1 AND r.poll_run_id = e.poll_run_id AND r.contact_id = e.contact_id
                       AND r.run_uuid IS NOT NULL AND r.created_on >= e.created_on)`,
      values: [orgId, pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    });
  }
  if (pairs.length || groups.length) {
    await client.query({
      text: `WITH pairs AS (
         SELECT DISTINCT * FROM unnest($2::int[], $3::int[]) AS p(poll_run_id, contact_id)
       ),
       latest AS (
         SELECT p.poll_run_id, p.contact_id, l.id FROM pairs p CROSS JOIN LATERAL (
           SELECT id FROM responses WHERE org_id = $1 AND poll_run_id = p.poll_run_id AND contact_id = p.contact_id
           ORDER BY created_on DESC, id DESC LIMIT 1
         ) l
       ),
       flipped AS (
         SELECT x.id FROM latest l CROSS JOIN LATERAL (
           SELECT id, is_active FROM responses WHERE org_id = $1 AND poll_run_id = l.poll_run_id AND contact_id = l.contact_id OFFSET 0
         ) x WHERE x.is_active <> (x.id = l.id)
       ),
       superseded AS (
         UPDATE responses SET is_active = NOT is_active, updated_at = now() WHERE id = ANY(ARRAY(SELECT id FROM flipped))
       ),
       groups AS (
         SELECT DISTINCT g.contact_id, g.question_id, g.local_day::date AS local_day
         FROM unnest($4::int[], $5::int[], $6::text[]) AS g(contact_id, question_id, local_day)
       ),
       members AS (
         SELECT g.contact_id, g.question_id, g.local_day, a.* FROM groups g CROSS JOIN LATERAL (
           SELECT id, value, submitted_on, last_value, sum_value FROM answers
           WHERE org_id = $1 AND contact_id = g.contact_id AND question_id = g.question_id AND local_day = g.local_day OFFSET 0
         ) a
       ),
       totals AS (
         SELECT id, value, last_value AS old_last, sum_value AS old_sum,
                first_value(value) OVER (PARTITION BY contact_id, question_id, local_day ORDER BY submitted_on DESC, id DESC) AS new_last,
                sum(tracpro_numeric(value)) OVER (PARTITION BY contact_id, question_id, local_day) AS total
         FROM members
       ),
       computed AS (
         SELECT id, old_last, old_sum, new_last AS last_value,
                coalesce(tracpro_sum_text(total), value) AS sum_value
         FROM totals
       ),
       changed AS (
         SELECT * FROM computed WHERE (old_last, old_sum) IS DISTINCT FROM (last_value, sum_value)
       )
       UPDATE answers a SET last_value = c.last_value, sum_value = c.sum_value
       FROM changed c
       WHERE a.id = ANY(ARRAY(SELECT id FROM changed)) AND a.id = c.id`,
      values: [orgId, pairs.map((p) => p[0]), pairs.map((p) => p[1]), groups.map((g) => g[0]), groups.map((g) => g[1]), groups.map((g) => g[2])],
    });
  }
  return { created: result!.created, updated: result!.updated, skipped: result!.skipped };
}

/**
 * Records how far a poll's history walk got, in the page's transaction.
 * @param client the page's connection, in a transaction.
 * @param orgId the org.
 * @param pollId the poll.
 * @param changes the next cursor (null when the walk is over), runs read so far, and whether it is done.
 */
export async function saveRunBackfill(client: pg.PoolClient, orgId: number, pollId: number, changes: { cursor: string | null; done: number; completed: boolean }): Promise<void> {
  await client.query(
    `UPDATE run_backfills SET cursor = $3, done = $4, completed_at = CASE WHEN $5 THEN now() END, updated_at = now()
     WHERE org_id = $1 AND poll_id = $2`,
    [orgId, pollId, changes.cursor, changes.done, changes.completed],
  );
}
