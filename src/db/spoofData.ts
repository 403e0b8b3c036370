import type pg from 'pg';
import { withPgTransaction } from './pool.js';

/** One spoofed poll run to write: its poll, when, and one answer per contact. */
export interface SpoofedPollRun {
  pollId: number;
  questionId: number;
  conductedOn: Date;
  /** Contact id → the answer's value. */
  answers: Map<number, string>;
}

/** What writing or clearing spoof data did. */
export interface SpoofCounts {
  pollRuns: number;
  responses: number;
  answers: number;
}

// Same-day values (spec §10.1, D5) of every (contact, question, org-local day) group the answers
// with the given ids belong to (or belonged to, for deleted ones): the latest value and the sum.
const RECOMPUTE_SAME_DAY = `
  WITH groups AS (
    SELECT DISTINCT g.contact_id, g.question_id, g.local_day FROM unnest($2::int[], $3::int[], $4::date[]) AS g(contact_id, question_id, local_day)
  ),
  members AS (
    SELECT g.contact_id, g.question_id, g.local_day, a.* FROM groups g CROSS JOIN LATERAL (
      SELECT id, value, submitted_on, last_value, sum_value FROM answers
      WHERE org_id = $1 AND contact_id = g.contact_id AND question_id = g.question_id AND local_day = g.local_day OFFSET 0
    ) a
  ),
  computed AS (
    SELECT id, last_value AS old_last, sum_value AS old_sum,
           first_value(value) OVER (PARTITION BY contact_id, question_id, local_day ORDER BY submitted_on DESC, id DESC) AS new_last,
           coalesce(tracpro_sum_text(sum(tracpro_numeric(value)) OVER (PARTITION BY contact_id, question_id, local_day)), value) AS new_sum
    FROM members
  )
  UPDATE answers a SET last_value = c.new_last, sum_value = c.new_sum
  FROM computed c
  WHERE a.id = c.id AND a.org_id = $1 AND (c.old_last, c.old_sum) IS DISTINCT FROM (c.new_last, c.new_sum)`;

type GroupRow = { contact_id: number; question_id: number; local_day: string };

async function recomputeSameDay(client: pg.PoolClient, orgId: number, groups: GroupRow[]): Promise<void> {
  if (!groups.length) return;
  await client.query(RECOMPUTE_SAME_DAY, [orgId, groups.map((g) => g.contact_id), groups.map((g) => g.question_id), groups.map((g) => g.local_day)]);
}

/**
 * Writes spoofed poll runs (spec §14.7) the way ingestion writes answers, in one transaction:
 * the poll runs (type spoofed, no region, no daily bucket: each generation makes its own), one
 * complete active response per contact with its answer (no category), the same-day values of
 * §10.1 over every answer of the contact to the question that org-local day; the counters follow
 * through the database triggers. Inactive or unknown contacts are skipped.
 * @param orgId the org.
 * @param userId who generated them.
 * @param runs the poll runs to write.
 * @returns what was written.
 */
export async function writeSpoofedPollRuns(orgId: number, userId: number, runs: SpoofedPollRun[]): Promise<SpoofCounts> {
  if (!runs.length) return { pollRuns: 0, responses: 0, answers: 0 };
  return withPgTransaction(async (client) => {
    // Ingestion's per-org lock: "one active response per (poll run, contact)" and same-day groups stay exact.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('poll-run-ingest'), $1)`, [orgId]);
    const { rows: ids } = await client.query<{ id: number }>(
      `SELECT nextval(pg_get_serial_sequence('poll_runs', 'id'))::int AS id FROM generate_series(1, $1)`,
      [runs.length],
    );
    const runIds = ids.map((r) => r.id);
    await client.query(
      `INSERT INTO poll_runs (id, org_id, poll_id, type, region_id, conducted_on, local_day, created_by_id, flow_start_uuids, created_at, updated_at)
       SELECT u.id, $1, u.poll_id, 'spoofed', NULL, u.conducted_on, NULL, $5, '{}', now(), now()
       FROM unnest($2::int[], $3::int[], $4::timestamptz[]) AS u(id, poll_id, conducted_on)`,
      [orgId, runIds, runs.map((r) => r.pollId), runs.map((r) => r.conductedOn.toISOString()), userId],
    );
    const rows = runs.flatMap((run, i) => [...run.answers].map(([contactId, value]) => ({ runId: runIds[i]!, questionId: run.questionId, contactId, value })));
    const { rows: [written] } = await client.query<{ responses: number; answers: number; groups: GroupRow[] | null }>(
      `WITH incoming AS (
         SELECT * FROM unnest($2::int[], $3::int[], $4::int[], $5::text[]) AS u(poll_run_id, question_id, contact_id, value)
       ),
       resolved AS (
         SELECT i.*, p.poll_id, p.conducted_on, (p.conducted_on AT TIME ZONE o.timezone)::date AS local_day, c.region_id,
                ARRAY(SELECT m.reporter_group_id FROM contact_reporter_groups m WHERE m.org_id = $1 AND m.contact_id = c.id ORDER BY 1) AS group_ids
         FROM incoming i
         JOIN poll_runs p ON p.org_id = $1 AND p.id = i.poll_run_id
         JOIN orgs o ON o.id = $1
         JOIN contacts c ON c.org_id = $1 AND c.id = i.contact_id AND c.is_active
       ),
       responded AS (
         INSERT INTO responses (org_id, poll_run_id, poll_id, contact_id, run_uuid, created_on, updated_on, completed_on, status,
                                is_active, region_id, group_ids, contact_counted, created_at, updated_at)
         SELECT $1, r.poll_run_id, r.poll_id, r.contact_id, NULL, r.conducted_on, r.conducted_on, r.conducted_on, 'C',
                true, r.region_id, r.group_ids, r.region_id IS NOT NULL, now(), now()
         FROM resolved r
         RETURNING id, poll_run_id, contact_id, region_id, group_ids, is_active AND contact_counted AS counted
       ),
       answered AS (
         INSERT INTO answers (org_id, response_id, question_id, contact_id, poll_run_id, value, category, submitted_on, local_day,
                              last_value, sum_value, counted, region_id, group_ids)
         SELECT $1, w.id, r.question_id, w.contact_id, w.poll_run_id, r.value, NULL, r.conducted_on, r.local_day,
                r.value, coalesce(tracpro_sum_text(tracpro_numeric(r.value)), r.value), w.counted, w.region_id, w.group_ids
         FROM responded w JOIN resolved r ON r.poll_run_id = w.poll_run_id AND r.contact_id = w.contact_id
         RETURNING contact_id, question_id, local_day
       )
       SELECT (SELECT count(*) FROM responded)::int AS responses, (SELECT count(*) FROM answered)::int AS answers,
              (SELECT json_agg(DISTINCT jsonb_build_object('contact_id', contact_id, 'question_id', question_id, 'local_day', local_day)) FROM answered) AS groups`,
      [orgId, rows.map((r) => r.runId), rows.map((r) => r.questionId), rows.map((r) => r.contactId), rows.map((r) => r.value)],
    );
    await recomputeSameDay(client, orgId, written!.groups ?? []);
    return { pollRuns: runIds.length, responses: written!.responses, answers: written!.answers };
  });
}

/**
 * Deletes every spoofed poll run of the org with its responses and answers, in one transaction
 * (spec §14.7 "clear all spoof data"); the counters follow through the triggers, and the same-day
 * values of the contacts' other answers of those days are recomputed without the spoofed ones.
 * @param orgId the org.
 * @returns what was deleted.
 */
export async function clearSpoofedPollRuns(orgId: number): Promise<SpoofCounts> {
  return withPgTransaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('poll-run-ingest'), $1)`, [orgId]);
    const { rows: runs } = await client.query<{ id: number }>(`SELECT id FROM poll_runs WHERE org_id = $1 AND type = 'spoofed'`, [orgId]);
    const runIds = runs.map((r) => r.id);
    if (!runIds.length) return { pollRuns: 0, responses: 0, answers: 0 };
    const { rows: deleted } = await client.query<GroupRow>(
      `DELETE FROM answers WHERE org_id = $1 AND poll_run_id = ANY($2::int[]) RETURNING contact_id, question_id, local_day::text`,
      [orgId, runIds],
    );
    const responses = await client.query(`DELETE FROM responses WHERE org_id = $1 AND poll_run_id = ANY($2::int[])`, [orgId, runIds]);
    await client.query(`DELETE FROM poll_runs WHERE org_id = $1 AND id = ANY($2::int[])`, [orgId, runIds]);
    const groups = new Map(deleted.map((g) => [`${g.contact_id}|${g.question_id}|${g.local_day}`, g]));
    await recomputeSameDay(client, orgId, [...groups.values()]);
    return { pollRuns: runIds.length, responses: responses.rowCount ?? 0, answers: deleted.length };
  });
}
