import pg from 'pg';

/**
 * Adds synthetic daily poll runs of a poll, each answered by every active contact (one response
 * and one answer per question), until the org holds `more` extra answers. Rows go through the
 * real tables and their counter triggers, one poll run per statement.
 * @returns the org's answers afterwards.
 */
export async function seedAnswers(databaseUrl: string, orgId: number, pollId: number, more: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows: [facts] } = await client.query<{ contacts: number; questions: number }>(
    `SELECT (SELECT count(*) FROM contacts WHERE org_id = $1 AND is_active)::int AS contacts,
            (SELECT count(*) FROM questions WHERE org_id = $1 AND poll_id = $2 AND is_active)::int AS questions`, [orgId, pollId]);
  const perRun = facts!.contacts * facts!.questions;
  for (let day = 0, added = 0; added < more && perRun > 0; day++, added += perRun) {
    const localDay = new Date(Date.UTC(2020, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    await client.query('BEGIN');
    const { rows: [run] } = await client.query<{ id: number }>(
      `INSERT INTO poll_runs (org_id, poll_id, type, conducted_on, local_day, flow_start_uuids, created_at, updated_at)
       VALUES ($1, $2, 'universal', $3::date + time '09:00', $3::date, '{}', now(), now()) RETURNING id`, [orgId, pollId, localDay]);
    await client.query(
      `INSERT INTO responses (org_id, poll_run_id, poll_id, contact_id, run_uuid, created_on, updated_on, completed_on, status, is_active,
                              region_id, group_ids, contact_counted, created_at, updated_at)
       SELECT $1, $2, $3, c.id, gen_random_uuid()::text, $4::date + time '09:00', $4::date + time '10:00', $4::date + time '10:00', 'C', true,
              c.region_id, ARRAY(SELECT m.reporter_group_id FROM contact_reporter_groups m WHERE m.org_id = $1 AND m.contact_id = c.id ORDER BY 1), true, now(), now()
       FROM contacts c WHERE c.org_id = $1 AND c.is_active`, [orgId, run!.id, pollId, localDay]);
    await client.query(
      `INSERT INTO answers (org_id, response_id, question_id, contact_id, poll_run_id, value, category, submitted_on, local_day,
                            last_value, sum_value, counted, region_id, group_ids)
       SELECT $1, r.id, q.id, r.contact_id, r.poll_run_id, v.value, 'Other', $3::date + time '10:00', $3::date, v.value, v.value, true, r.region_id, r.group_ids
       FROM responses r CROSS JOIN questions q
       CROSS JOIN LATERAL (SELECT ((r.id * 7 + q.id) % 120)::text AS value) v
       WHERE r.org_id = $1 AND r.poll_run_id = $2 AND q.org_id = $1 AND q.poll_id = r.poll_id AND q.is_active`, [orgId, run!.id, localDay]);
    await client.query('COMMIT');
  }
  const { rows: [total] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM answers WHERE org_id = $1', [orgId]);
  await client.end();
  return total!.n;
}
