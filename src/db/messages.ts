import { inBatches } from '../pollruns/startRules.js';
import { applyInboxPage, type InboxRow } from './inbox.js';
import { withPgTransaction } from './pool.js';

/** Who a message to a poll run's participants goes to (spec §16.1). */
export type RecipientGroup = 'all' | 'respondents' | 'non_respondents';

/** A message to a poll run's participants, before it is written. */
export interface ParticipantMessage {
  pollRunId: number;
  recipientGroup: RecipientGroup;
  text: string;
  /** The sender's current region (null for "All regions"), stored with the message. */
  regionId: number | null;
  /** Regions whose participants receive it; null for every region. */
  regionIds: number[] | null;
  sentById: number;
}

/** The recipients' condition on responses `r` ($1 org, $2 poll run, $3 regions, $4 group). */
const RECIPIENTS_WHERE = `r.org_id = $1 AND r.poll_run_id = $2 AND r.is_active AND r.contact_counted
  AND ($3::int[] IS NULL OR r.region_id = ANY($3::int[]))
  AND ($4 = 'all' OR ($4 = 'respondents') = (r.status = 'C'))`;

/**
 * Writes a message to a poll run's participants in one transaction, before anything is sent (spec
 * §16.1 steps 2–3): the message (pending), one recipient row per contact, and the broadcast batches
 * of at most 100 contact uuids that the send job works through. Recipients are the contacts of the
 * poll run's active responses (§12.4) of counted contacts in the regions: every one, those
 * complete (respondents), or those empty or partial (non-respondents) — the same responses the
 * participation counters count.
 * @param orgId the org.
 * @param message the poll run, group, text, regions and sender.
 * @returns the message id and its recipient count, or null when nobody would receive it.
 */
export async function createParticipantMessage(orgId: number, message: ParticipantMessage): Promise<{ messageId: number; recipients: number } | null> {
  return withPgTransaction(async (client) => {
    const { rows: contacts } = await client.query<{ id: number; uuid: string }>(
      `SELECT c.id, c.uuid FROM responses r JOIN contacts c ON c.org_id = r.org_id AND c.id = r.contact_id
       WHERE ${RECIPIENTS_WHERE} ORDER BY c.id`,
      [orgId, message.pollRunId, message.regionIds, message.recipientGroup],
    );
    if (!contacts.length) return null;
    const { rows: [created] } = await client.query<{ id: number }>(
      `INSERT INTO messages (org_id, sent_by_id, text, poll_run_id, recipient_group, region_id, status, recipient_count, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, now(), now()) RETURNING id`,
      [orgId, message.sentById, message.text, message.pollRunId, message.recipientGroup, message.regionId, contacts.length],
    );
    const messageId = created!.id;
    await client.query(
      `INSERT INTO message_recipients (org_id, message_id, contact_id) SELECT $1, $2, unnest($3::int[])`,
      [orgId, messageId, contacts.map((c) => c.id)],
    );
    const batches = inBatches(contacts.map((c) => c.uuid));
    await client.query(
      `INSERT INTO message_batches (org_id, message_id, batch_no, contact_uuids)
       SELECT $1, $2, b.no, ARRAY(SELECT jsonb_array_elements_text(b.uuids))
       FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS b(uuids, no)`,
      [orgId, messageId, JSON.stringify(batches)],
    );
    return { messageId, recipients: contacts.length };
  });
}

/** A reply from the inbox, as sent (or refused) by RapidPro's message endpoint. */
export interface ReplyRecord {
  contactId: number;
  text: string;
  sentById: number;
  /** The sender's current region (null for "All regions"). */
  regionId: number | null;
  status: 'sent' | 'failed';
  error: string | null;
  /** The message RapidPro created, written to the conversation at once (the inbox sync updates it later). */
  sent: InboxRow | null;
}

/**
 * Records a reply in one transaction: the message (recipient group "reply") and its one recipient,
 * and, when RapidPro took it, the outgoing message in the contact's conversation.
 * @param orgId the org.
 * @param reply what was sent to whom, and how it went.
 * @returns the message id.
 */
export async function recordReply(orgId: number, reply: ReplyRecord): Promise<number> {
  return withPgTransaction(async (client) => {
    const { rows: [created] } = await client.query<{ id: number }>(
      `INSERT INTO messages (org_id, sent_by_id, text, poll_run_id, recipient_group, region_id, status, recipient_count, error, created_at, sent_at, updated_at)
       VALUES ($1, $2, $3, NULL, 'reply', $4, $5::varchar, 1, $6, now(), CASE WHEN $5::varchar = 'sent' THEN now() END, now()) RETURNING id`,
      [orgId, reply.sentById, reply.text, reply.regionId, reply.status, reply.error],
    );
    await client.query(`INSERT INTO message_recipients (org_id, message_id, contact_id) VALUES ($1, $2, $3)`, [orgId, created!.id, reply.contactId]);
    if (reply.sent) await applyInboxPage(client, orgId, [reply.sent]);
    return created!.id;
  });
}
