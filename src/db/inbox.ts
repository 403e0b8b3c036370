import type pg from 'pg';
import { pgPool } from './pool.js';

/** A RapidPro message outside flows, as the inbox sync writes it. */
export interface InboxRow {
  /** RapidPro's message uuid, or its integer id as text on older servers (rapidpro-api §5.9). */
  rapidproKey: string;
  contactUuid: string;
  text: string;
  direction: 'i' | 'o';
  /** visible | archived */
  visibility: string;
  status: string;
  createdOn: Date;
  sentOn: Date | null;
  modifiedOn: Date | null;
}

/** What applying a page did: rows created, rows changed, rows of contacts unknown here. */
export interface InboxPageCounts {
  created: number;
  updated: number;
  skipped: number;
}

/**
 * Upserts a page of messages by (org, RapidPro key), idempotently: a row changes only when RapidPro's
 * modified_on is not older than the stored one and something differs. Messages of contacts the
 * contact sync has not brought in yet are skipped (a later re-read picks them up).
 * @param client a connection inside the page's transaction.
 * @param orgId the org.
 * @param rows the messages (one row per key).
 * @returns created, updated and skipped counts.
 */
export async function applyInboxPage(client: pg.PoolClient, orgId: number, rows: InboxRow[]): Promise<InboxPageCounts> {
  if (!rows.length) return { created: 0, updated: 0, skipped: 0 };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const { rows: [result] } = await client.query<{ known: number; created: number; updated: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::varchar[], $3::varchar[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
         AS t(rapidpro_key, contact_uuid, text, direction, visibility, status, created_on, sent_on, modified_on)
     ), known AS (
       SELECT i.*, c.id AS contact_id FROM input i JOIN contacts c ON c.org_id = $1 AND c.uuid = i.contact_uuid
     ), written AS (
       INSERT INTO inbox_messages AS m (org_id, rapidpro_key, contact_id, text, direction, visibility, status, created_on, sent_on, modified_on)
       SELECT $1, rapidpro_key, contact_id, left(text, 640), direction, visibility, left(status, 16), created_on, sent_on, modified_on FROM known
       ON CONFLICT (org_id, rapidpro_key) DO UPDATE
         SET contact_id = EXCLUDED.contact_id, text = EXCLUDED.text, visibility = EXCLUDED.visibility, status = EXCLUDED.status,
             sent_on = EXCLUDED.sent_on, modified_on = EXCLUDED.modified_on
         WHERE (m.modified_on IS NULL OR EXCLUDED.modified_on IS NULL OR EXCLUDED.modified_on >= m.modified_on)
           AND (m.contact_id, m.text, m.visibility, m.status, m.sent_on, m.modified_on)
               IS DISTINCT FROM (EXCLUDED.contact_id, EXCLUDED.text, EXCLUDED.visibility, EXCLUDED.status, EXCLUDED.sent_on, EXCLUDED.modified_on)
       RETURNING (xmax = 0) AS inserted
     )
     SELECT (SELECT count(*) FROM known)::int AS known,
            count(*) FILTER (WHERE inserted)::int AS created, count(*) FILTER (WHERE NOT inserted)::int AS updated
     FROM written`,
    [orgId, rows.map((r) => r.rapidproKey), rows.map((r) => r.contactUuid), rows.map((r) => r.text), rows.map((r) => r.direction),
      rows.map((r) => r.visibility), rows.map((r) => r.status), rows.map((r) => iso(r.createdOn)), rows.map((r) => iso(r.sentOn)), rows.map((r) => iso(r.modifiedOn))],
  );
  return { created: result!.created, updated: result!.updated, skipped: rows.length - result!.known };
}

/**
 * Marks as deleted the incoming messages created since `since` that RapidPro no longer lists in
 * its inbox or archived folders (rapidpro-api §7.3: deletions leave no trace but their absence).
 * @param client a connection inside a transaction.
 * @param orgId the org.
 * @param since the start of the re-read window (RapidPro's clock).
 * @param seenKeys RapidPro keys of every incoming message the re-read returned.
 * @returns how many messages were marked deleted.
 */
export async function markMissingAsDeleted(client: pg.PoolClient, orgId: number, since: Date, seenKeys: string[]): Promise<number> {
  const result = await client.query(
    `UPDATE inbox_messages SET visibility = 'deleted'
     WHERE org_id = $1 AND direction = 'i' AND created_on >= $2 AND visibility <> 'deleted' AND NOT (rapidpro_key = ANY($3::varchar[]))`,
    [orgId, since, seenKeys],
  );
  return result.rowCount ?? 0;
}

/** Which contacts an inbox read covers. */
export interface InboxScope {
  /** Regions of the contacts; null for every region. */
  regionIds: number[] | null;
  /** A reporter group the contacts belong to, or null. */
  reporterGroupId: number | null;
}

/** A contact's latest message, as the inbox list shows it. */
export interface LatestMessage {
  id: number;
  contactId: number;
  contactName: string;
  contactUrn: string | null;
  regionId: number | null;
  direction: 'i' | 'o';
  text: string | null;
  visibility: string;
  status: string | null;
  createdOn: Date;
  sentOn: Date | null;
}

/** Active contacts of the scope: the condition on contacts `c` ($1 org, $2 regions, $3 group). */
const CONTACTS_IN_SCOPE = `c.org_id = $1 AND c.is_active AND ($2::int[] IS NULL OR c.region_id = ANY($2::int[]))
  AND ($3::int IS NULL OR EXISTS (SELECT 1 FROM contact_reporter_groups g WHERE g.org_id = $1 AND g.contact_id = c.id AND g.reporter_group_id = $3))`;

/**
 * The inbox list (spec §16.3): for each active contact of the scope who wrote in (one incoming
 * message at least), the contact's latest message either way; most recent first.
 * @param orgId the org.
 * @param scope regions and reporter group.
 * @param page offset and size.
 * @returns one page of rows and the number of contacts.
 */
export async function latestMessages(orgId: number, scope: InboxScope, page: { skip: number; take: number }): Promise<{ rows: LatestMessage[]; total: number }> {
  const { rows } = await pgPool().query<LatestMessage & { total: number }>(
    `WITH latest AS (
       SELECT DISTINCT ON (m.contact_id) m.id, m.contact_id, c.name, c.urn, c.region_id, m.direction, m.text, m.visibility, m.status, m.created_on, m.sent_on
       FROM inbox_messages m JOIN contacts c ON c.org_id = m.org_id AND c.id = m.contact_id
       WHERE m.org_id = $1 AND m.visibility <> 'deleted' AND ${CONTACTS_IN_SCOPE}
         AND EXISTS (SELECT 1 FROM inbox_messages i WHERE i.org_id = $1 AND i.contact_id = m.contact_id AND i.direction = 'i' AND i.visibility <> 'deleted')
       ORDER BY m.contact_id, m.created_on DESC, m.id DESC
     )
     SELECT id, contact_id AS "contactId", name AS "contactName", urn AS "contactUrn", region_id AS "regionId",
            direction, text, visibility, status, created_on AS "createdOn", sent_on AS "sentOn", count(*) OVER ()::int AS total
     FROM latest
     ORDER BY created_on DESC, id DESC
     OFFSET $4 LIMIT $5`,
    [orgId, scope.regionIds, scope.reporterGroupId, page.skip, page.take],
  );
  const total = rows[0]?.total ?? (page.skip > 0 ? await countContactsWritingIn(orgId, scope) : 0);
  return { rows: rows.map(({ total: _total, ...row }) => row), total };
}

async function countContactsWritingIn(orgId: number, scope: InboxScope): Promise<number> {
  const { rows: [row] } = await pgPool().query<{ total: number }>(
    `SELECT count(*)::int AS total FROM contacts c
     WHERE ${CONTACTS_IN_SCOPE}
       AND EXISTS (SELECT 1 FROM inbox_messages i WHERE i.org_id = $1 AND i.contact_id = c.id AND i.direction = 'i' AND i.visibility <> 'deleted')`,
    [orgId, scope.regionIds, scope.reporterGroupId],
  );
  return row!.total;
}

/** How quickly one region's contacts get answers. */
export interface RegionReplyStats {
  regionId: number;
  /** Incoming messages of the window with no message sent to the contact after them. */
  unanswered: number;
  /** Waits that got an answer (an incoming message opening a wait, then a message sent). */
  answered: number;
  /** Median seconds from the first incoming message of a wait to the first message sent after it; null without answers. */
  medianReplySeconds: number | null;
}

/** The window of reply statistics (spec issue 7: "within 30 days"). */
export const REPLY_WINDOW_DAYS = 30;

/**
 * Per region, for messages of the last 30 days (up to `now`) of the scope's active contacts:
 * unanswered incoming messages (no message sent to that contact after it), and the median time to
 * first reply — from an incoming message that opens a wait (the contact's previous message in the
 * window, if any, was one sent to them) to the first message sent to the contact after it.
 * "After" follows (created_on, id). Deleted messages do not count.
 * @param orgId the org.
 * @param scope regions and reporter group.
 * @param now the end of the window.
 * @returns one row per region with messages in the window.
 */
export async function replyStats(orgId: number, scope: InboxScope, now: Date): Promise<RegionReplyStats[]> {
  const { rows } = await pgPool().query<{ region_id: number; unanswered: number; answered: number; median: number | null }>(
    `WITH window_messages AS (
       SELECT c.region_id, m.direction, m.created_on,
              lag(m.direction) OVER per_contact AS previous_direction,
              min(m.created_on) FILTER (WHERE m.direction = 'o') OVER (per_contact ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_sent
       FROM inbox_messages m JOIN contacts c ON c.id = m.contact_id
       WHERE m.org_id = $1 AND m.visibility <> 'deleted' AND m.created_on > $4::timestamptz - make_interval(days => $5) AND m.created_on <= $4
         AND ${CONTACTS_IN_SCOPE}
       WINDOW per_contact AS (PARTITION BY m.contact_id ORDER BY m.created_on, m.id)
     )
     SELECT region_id,
            count(*) FILTER (WHERE direction = 'i' AND next_sent IS NULL)::int AS unanswered,
            count(*) FILTER (WHERE direction = 'i' AND previous_direction IS DISTINCT FROM 'i' AND next_sent IS NOT NULL)::int AS answered,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM next_sent - created_on)::float8)
              FILTER (WHERE direction = 'i' AND previous_direction IS DISTINCT FROM 'i' AND next_sent IS NOT NULL) AS median
     FROM window_messages GROUP BY region_id ORDER BY region_id`,
    [orgId, scope.regionIds, scope.reporterGroupId, now, REPLY_WINDOW_DAYS],
  );
  return rows.map((r) => ({ regionId: r.region_id, unanswered: r.unanswered, answered: r.answered, medianReplySeconds: r.median === null ? null : Number(r.median) }));
}
