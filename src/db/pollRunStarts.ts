import { withPgTransaction } from './pool.js';

/** A batch RapidPro accepted, as the start job records it. */
export interface SentBatch {
  /** The poll_run_start_batches row. */
  batchId: number;
  /** RapidPro's flow-start uuid. */
  startUuid: string;
  /** The flow start's created_on (RapidPro's clock): the empty responses' creation time. */
  startedOn: Date;
}

/** What recording a batch did. */
export interface RecordedBatch {
  /** False when the batch already had a start uuid (another attempt recorded it first). */
  recorded: boolean;
  /** Empty responses created. */
  responses: number;
}

/**
 * Records one batch that RapidPro accepted, in one transaction, so a retried job never sends it
 * again and never half-records it (spec §9.4 steps 2–3, §23.1):
 * 1. the batch gets its start uuid and sentAt (only if it had none);
 * 2. the poll run gets the start uuid, so ingestion attributes the start's runs to it;
 * 3. each recipient gets an empty response (status E, no run, created when RapidPro created the
 *    start), which supersedes their earlier responses in the poll run — unless a run of this start
 *    already arrived (a response created after the start), which is newer and stays active;
 * 4. the start's sentCount grows by the batch size.
 * It takes ingestion's per-org lock, so "one active response per (poll run, contact)" holds
 * against a runs page written at the same time.
 * @param orgId the org.
 * @param batch the batch, its RapidPro start uuid and creation time.
 * @returns whether it was recorded now, and how many empty responses were created.
 */
export async function recordSentBatch(orgId: number, batch: SentBatch): Promise<RecordedBatch> {
  return withPgTransaction(async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('poll-run-ingest'), $1)`, [orgId]);
    const { rows: [row] } = await client.query<{ start_id: number; poll_run_id: number; poll_id: number; contact_uuids: string[] }>(
      `UPDATE poll_run_start_batches b SET rapidpro_start_uuid = $3, sent_at = now()
       FROM poll_run_starts s JOIN poll_runs p ON p.org_id = s.org_id AND p.id = s.poll_run_id
       WHERE b.org_id = $1 AND b.id = $2 AND b.rapidpro_start_uuid IS NULL AND s.org_id = $1 AND s.id = b.start_id
       RETURNING b.start_id, s.poll_run_id, p.poll_id, b.contact_uuids`,
      [orgId, batch.batchId, batch.startUuid],
    );
    if (!row) return { recorded: false, responses: 0 };

    await client.query(
      `UPDATE poll_runs SET flow_start_uuids = array_append(flow_start_uuids, $3::varchar), updated_at = now()
       WHERE org_id = $1 AND id = $2 AND NOT ($3 = ANY(flow_start_uuids))`,
      [orgId, row.poll_run_id, batch.startUuid],
    );
    const { rows: created } = await client.query<{ id: number; contact_id: number }>(
      `INSERT INTO responses (org_id, poll_run_id, poll_id, contact_id, run_uuid, created_on, updated_on, status, is_active,
                              region_id, group_ids, contact_counted, created_at, updated_at)
       SELECT $1, $2, $3, c.id, NULL, $5, $5, 'E', true, c.region_id,
              ARRAY(SELECT m.reporter_group_id FROM contact_reporter_groups m WHERE m.org_id = $1 AND m.contact_id = c.id ORDER BY 1),
              c.is_active AND c.region_id IS NOT NULL, now(), now()
       FROM contacts c
       WHERE c.org_id = $1 AND c.uuid = ANY($4::varchar[])
         AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.org_id = $1 AND r.poll_run_id = $2 AND r.contact_id = c.id AND r.created_on > $5)
       RETURNING id, contact_id`,
      [orgId, row.poll_run_id, row.poll_id, row.contact_uuids, batch.startedOn],
    );
    if (created.length) {
      await client.query(
        `UPDATE responses SET is_active = false, updated_at = now()
         WHERE org_id = $1 AND poll_run_id = $2 AND contact_id = ANY($3::int[]) AND is_active AND NOT (id = ANY($4::int[]))`,
        [orgId, row.poll_run_id, created.map((r) => r.contact_id), created.map((r) => r.id)],
      );
    }
    await client.query(
      `UPDATE poll_run_starts SET sent_count = sent_count + $3, updated_at = now() WHERE org_id = $1 AND id = $2`,
      [orgId, row.start_id, row.contact_uuids.length],
    );
    return { recorded: true, responses: created.length };
  });
}
