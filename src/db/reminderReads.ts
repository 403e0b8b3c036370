import { both } from './counterReads.js';
import { pgPool } from './pool.js';

/** Hours after a poll run's start that the effect of reminders covers: seven days. */
export const REMINDER_HOURS = 7 * 24;

/** The share of a poll run's recipients with a complete response, hour by hour. */
export interface CompletionSeries {
  /** The poll run's start (conducted_on). */
  start: Date;
  /** Recipients: active responses of counted contacts in the regions. */
  total: number;
  /** For hour h = 0…REMINDER_HOURS: responses completed by start + h hours. */
  complete: number[];
}

/** A message sent to a poll run's participants, as a marker on the series. */
export interface ReminderMarker {
  messageId: number;
  recipientGroup: string;
  text: string;
  /** When RapidPro created its first broadcast (its clock), or when we sent it. */
  sentAt: Date;
  /** Its recipients among the series' recipients. */
  recipients: number;
}

/** The responses of the poll run in the regions ($1 org, $2 poll run, $3 regions). */
const RECIPIENT_RESPONSES = `r.org_id = $1 AND r.poll_run_id = $2 AND r.is_active AND r.contact_counted
  AND ($3::int[] IS NULL OR r.region_id = ANY($3::int[]))`;

/**
 * How many of a poll run's recipients had a complete response, hour by hour from its start (issue 7
 * "effect of reminders"): a response counts from the hour in which it first became complete
 * (responses.completed_on ≤ start + h hours). One grouped query over the poll run's responses,
 * accumulated over a generated series of hours.
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions of the region context; null for every region.
 * @returns the series, or null when the poll run is not the org's.
 */
export async function completionSeries(orgId: number, pollRunId: number, regionIds: number[] | null): Promise<CompletionSeries | null> {
  const { rows } = await pgPool().query<{ start: Date; total: number; complete: number }>(
    `WITH run AS (SELECT conducted_on FROM poll_runs WHERE org_id = $1 AND id = $2),
     recipients AS (SELECT r.completed_on FROM responses r WHERE ${RECIPIENT_RESPONSES}),
     completions AS (
       SELECT greatest(0, ceil(extract(epoch FROM rc.completed_on - run.conducted_on) / 3600))::int AS hour, count(*)::int AS responses
       FROM recipients rc CROSS JOIN run WHERE rc.completed_on IS NOT NULL GROUP BY 1
     )
     SELECT run.conducted_on AS start, (SELECT count(*) FROM recipients)::int AS total,
            (sum(coalesce(c.responses, 0)) OVER (ORDER BY h.hour))::int AS complete
     FROM run CROSS JOIN generate_series(0, $4::int) AS h(hour) LEFT JOIN completions c ON c.hour = h.hour
     ORDER BY h.hour`,
    [orgId, pollRunId, regionIds, REMINDER_HOURS],
  );
  if (!rows.length) return null;
  return { start: rows[0]!.start, total: rows[0]!.total, complete: rows.map((r) => r.complete) };
}

/**
 * A fingerprint of a poll run's counted responses in regions, for cache versions: responses per
 * region, status and day (deltas folded in), plus the newest pending delta row.
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions; null for every region.
 * @returns an opaque text.
 */
export async function completionFingerprint(orgId: number, pollRunId: number, regionIds: number[] | null): Promise<string> {
  const where = 'org_id = $1 AND poll_run_id = $2';
  const { rows: [row] } = await pgPool().query<{ counts: string | null; pending: string | null }>(
    `SELECT (SELECT md5(string_agg(concat_ws(':', region_id, status, local_day, responses), ',' ORDER BY region_id, status, local_day))
             FROM (SELECT region_id, status, local_day, sum(responses) AS responses
                   FROM ${both('response_counters', 'region_id, status, local_day, responses', `${where} AND reporter_group_id = 0 AND ($3::int[] IS NULL OR region_id = ANY($3::int[]))`)} c
                   GROUP BY 1, 2, 3 HAVING sum(responses) <> 0) k) AS counts,
            (SELECT max(id)::text FROM response_counter_deltas WHERE ${where}) AS pending`,
    [orgId, pollRunId, regionIds],
  );
  return `${row?.counts ?? 'none'}:${row?.pending ?? ''}`;
}

/**
 * The messages sent to a poll run's participants that reached recipients of the series (its
 * responses in the regions), with when each went out.
 * @param orgId the org.
 * @param pollRunId the poll run.
 * @param regionIds the regions of the region context; null for every region.
 * @returns markers, oldest first.
 */
export async function reminderMarkers(orgId: number, pollRunId: number, regionIds: number[] | null): Promise<ReminderMarker[]> {
  const { rows } = await pgPool().query<ReminderMarker>(
    `SELECT * FROM (
       SELECT m.id AS "messageId", m.recipient_group AS "recipientGroup", m.text,
              coalesce((SELECT min(b.sent_at) FROM message_batches b WHERE b.org_id = $1 AND b.message_id = m.id), m.sent_at, m.created_at) AS "sentAt",
              (SELECT count(*) FROM message_recipients mr JOIN responses r ON r.org_id = mr.org_id AND r.contact_id = mr.contact_id
               WHERE mr.org_id = $1 AND mr.message_id = m.id AND ${RECIPIENT_RESPONSES})::int AS recipients
       FROM messages m
       WHERE m.org_id = $1 AND m.poll_run_id = $2 AND m.status IN ('sending', 'sent')
     ) markers
     WHERE recipients > 0
     ORDER BY "sentAt", "messageId"`,
    [orgId, pollRunId, regionIds],
  );
  return rows;
}
