import { randomUUID } from 'node:crypto';
import type { OutboundMessage, Prisma, Registration, Subscription, SubscriptionRequest } from '../generated/prisma/client.js';
import { pgPool } from './pool.js';

/** A registration as intake stores it: everything but the columns later steps fill in. */
export type NewRegistration = Omit<Registration, 'orgId' | 'operatorState' | 'operatorRole' | 'metricsAppliedAt' | 'followupError' | 'updatedAt' | 'updatedBy'>;

// One statement for any batch size: each column travels as one array parameter. invalid_reasons is
// a text[] per row, which a 2-D array cannot carry (rows differ in length), so it travels as JSON.
const INSERT_SQL = `
INSERT INTO registrations (id, org_id, source_id, stage, mother_id, data, validation_status, reg_type, preg_week, baby_age,
  invalid_reasons, operator_id, receiver_id, msg_type, msg_receiver, language, operator_checked_at, followup_status,
  created_by, updated_by, created_at, updated_at)
SELECT r.id, $1, r.source_id, r.stage, r.mother_id, r.data, r.validation_status, r.reg_type, r.preg_week, r.baby_age,
  ARRAY(SELECT jsonb_array_elements_text(r.reasons)), r.operator_id, r.receiver_id, r.msg_type, r.msg_receiver, r.language,
  r.operator_checked_at, r.followup_status, r.created_by, r.created_by, r.created_at, r.created_at
FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[], $9::int[], $10::int[],
  $11::jsonb[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::timestamptz[], $18::text[], $19::text[],
  $20::timestamptz[])
  AS r(id, source_id, stage, mother_id, data, validation_status, reg_type, preg_week, baby_age, reasons, operator_id,
  receiver_id, msg_type, msg_receiver, language, operator_checked_at, followup_status, created_by, created_at)`;

/**
 * Inserts an org's registrations in one statement (intake's group commit) and returns them as
 * Prisma would have: every column is known before the insert, so nothing is read back.
 * @param orgId the org every row belongs to.
 * @param rows the registrations, ids and creation times already set.
 * @returns the stored rows.
 */
export async function insertRegistrations(orgId: number, rows: NewRegistration[]): Promise<Registration[]> {
  if (!rows.length) return [];
  const column = <T>(pick: (r: NewRegistration) => T) => rows.map(pick);
  await pgPool().query(INSERT_SQL, [
    orgId, column((r) => r.id), column((r) => r.sourceId), column((r) => r.stage), column((r) => r.motherId),
    column((r) => JSON.stringify(r.data)), column((r) => r.validationStatus), column((r) => r.regType), column((r) => r.pregWeek),
    column((r) => r.babyAge), column((r) => JSON.stringify(r.invalidReasons)), column((r) => r.operatorId), column((r) => r.receiverId),
    column((r) => r.msgType), column((r) => r.msgReceiver), column((r) => r.language), column((r) => r.operatorCheckedAt),
    column((r) => r.followupStatus), column((r) => r.createdBy), column((r) => r.createdAt),
  ]);
  return rows.map((r) => ({ ...r, orgId, operatorState: null, operatorRole: null, metricsAppliedAt: null, followupError: null, updatedAt: r.createdAt, updatedBy: r.createdBy }));
}

/** How long the metrics mark waits for a row lock (see markRegistrationsApplied). */
export const MARK_LOCK_WAIT = '200ms';

/**
 * Marks registrations applied to the metrics and stores the operator snapshot each was counted with,
 * in one statement: one new row version each, where a snapshot written first and a mark after made two.
 * It waits at most MARK_LOCK_WAIT for rows another transaction holds, then fails (and the batch is
 * retried): a follow-up marking the same rows done may take them in another order, and two
 * multi-row updates waiting on each other would otherwise stall until Postgres's deadlock check.
 * @param tx the applying transaction.
 * @param orgId the org.
 * @param rows each registration with its snapshot.
 * @param now the mark.
 * @returns the ids marked (those not applied already).
 */
export async function markRegistrationsApplied(tx: Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRawUnsafe'>, orgId: number, rows: Pick<Registration, 'id' | 'operatorState' | 'operatorRole'>[], now: Date): Promise<string[]> {
  if (!rows.length) return [];
  const [ids, states, roles] = [rows.map((r) => r.id), rows.map((r) => r.operatorState), rows.map((r) => r.operatorRole)];
  await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '${MARK_LOCK_WAIT}'`);
  const marked = await tx.$queryRaw<{ id: string }[]>`
    UPDATE registrations AS r
    SET metrics_applied_at = ${now}, updated_at = ${now}, operator_checked_at = COALESCE(r.operator_checked_at, ${now}), operator_state = v.state, operator_role = v.role
    FROM unnest(${ids}::uuid[], ${states}::text[], ${roles}::text[]) AS v(id, state, role)
    WHERE r.org_id = ${orgId} AND r.id = v.id AND r.metrics_applied_at IS NULL
    RETURNING r.id`;
  return marked.map((r) => r.id);
}

type Column = readonly [name: string, type: string];

/**
 * An org's rows as one SELECT over unnested array parameters ($1 is the org id, each column one array
 * after it, as INSERT_SQL does), with its column names and parameters.
 */
function unnestedRows(columns: readonly Column[], orgId: number, rows: unknown[][]) {
  const names = columns.map(([name]) => name).join(', ');
  const arrays = columns.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ');
  return { names, select: `SELECT $1, ${names} FROM unnest(${arrays}) AS u(${names})`, params: [orgId, ...columns.map((_, i) => rows.map((row) => row[i]))] };
}

/** Inserts an org's rows in one statement, each column as one array parameter. */
async function insertColumns(table: string, columns: readonly Column[], orgId: number, rows: unknown[][]): Promise<void> {
  if (!rows.length) return;
  const { names, select, params } = unnestedRows(columns, orgId, rows);
  await pgPool().query(`INSERT INTO ${table} (org_id, ${names}) ${select}`, params);
}

const SUBSCRIPTION_REQUEST_COLUMNS = [
  ['id', 'uuid'], ['registration_id', 'uuid'], ['change_id', 'uuid'], ['identity', 'text'], ['messageset_id', 'int'], ['messageset_short_name', 'text'],
  ['next_sequence_number', 'int'], ['lang', 'text'], ['schedule_id', 'int'], ['metadata', 'jsonb'], ['delivery_status', 'text'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;

/** A subscription request as follow-ups and changes plan it. */
export type NewSubscriptionRequest = Pick<SubscriptionRequest, 'registrationId' | 'changeId' | 'identity' | 'messagesetId' | 'messagesetShortName' | 'nextSequenceNumber' | 'lang' | 'scheduleId' | 'metadata'>;

/**
 * Stores an org's planned subscription requests in one statement (a batch's follow-ups), and returns
 * them as Prisma would have, without reading them back. They are stored pending delivery; with
 * `deliveredLocally` (the local messaging service) the same statement also creates their
 * subscriptions and stores them delivered: one write per request, where storing it pending and
 * marking it delivered after the hand-off made two.
 * @param orgId the org every request belongs to.
 * @param rows the requests.
 * @param options deliveredLocally: hand them to the local messaging service in the same statement.
 * @returns the stored rows.
 */
export async function insertSubscriptionRequests(orgId: number, rows: NewSubscriptionRequest[], options: { deliveredLocally?: boolean } = {}): Promise<SubscriptionRequest[]> {
  const now = new Date();
  const deliveryStatus = options.deliveredLocally ? 'delivered' : 'pending';
  const stored = rows.map((r) => ({ ...r, id: randomUUID(), orgId, deliveryStatus, lastError: null, createdAt: now, updatedAt: now }));
  const values = stored.map((r) => [
    r.id, r.registrationId, r.changeId, r.identity, r.messagesetId, r.messagesetShortName, r.nextSequenceNumber, r.lang, r.scheduleId, JSON.stringify(r.metadata), r.deliveryStatus, now, now,
  ]);
  if (!options.deliveredLocally) await insertColumns('subscription_requests', SUBSCRIPTION_REQUEST_COLUMNS, orgId, values);
  else if (values.length) {
    const { names, select, params } = unnestedRows(SUBSCRIPTION_REQUEST_COLUMNS, orgId, values);
    const copied = SUBSCRIPTION_COLUMNS.filter(([name]) => name !== 'id').map(([name]) => name).join(', ');
    await pgPool().query(
      `WITH requests AS (
        INSERT INTO subscription_requests (org_id, ${names}) ${select}
        RETURNING ${copied})
      INSERT INTO subscriptions (org_id, id, ${copied}) SELECT $1, gen_random_uuid(), ${copied} FROM requests`,
      params,
    );
  }
  return stored;
}

const SUBSCRIPTION_COLUMNS = [
  ['id', 'uuid'], ['identity', 'text'], ['messageset_id', 'int'], ['messageset_short_name', 'text'], ['next_sequence_number', 'int'], ['lang', 'text'],
  ['schedule_id', 'int'], ['metadata', 'jsonb'], ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;

/**
 * Creates an org's local subscriptions (the local messaging service) in one statement, active.
 * @param orgId the org.
 * @param rows the subscriptions.
 */
export async function insertSubscriptions(orgId: number, rows: Pick<Subscription, 'identity' | 'messagesetId' | 'messagesetShortName' | 'nextSequenceNumber' | 'lang' | 'scheduleId' | 'metadata'>[]): Promise<void> {
  const now = new Date();
  await insertColumns('subscriptions', SUBSCRIPTION_COLUMNS, orgId, rows.map((r) => [
    randomUUID(), r.identity, r.messagesetId, r.messagesetShortName, r.nextSequenceNumber, r.lang, r.scheduleId, JSON.stringify(r.metadata), now, now,
  ]));
}

const OUTBOUND_COLUMNS = [
  ['id', 'uuid'], ['to_identity', 'text'], ['to_addr', 'text'], ['content', 'text'], ['metadata', 'jsonb'], ['adapter', 'text'], ['status', 'text'],
  ['created_at', 'timestamptz'], ['updated_at', 'timestamptz'],
] as const;

/**
 * Logs an org's outbound messages (the message sender's log) in one statement.
 * @param orgId the org.
 * @param rows the messages.
 */
export async function insertOutboundMessages(orgId: number, rows: Pick<OutboundMessage, 'toIdentity' | 'toAddr' | 'content' | 'metadata' | 'adapter' | 'status'>[]): Promise<void> {
  const now = new Date();
  await insertColumns('outbound_messages', OUTBOUND_COLUMNS, orgId, rows.map((r) => [randomUUID(), r.toIdentity, r.toAddr, r.content, JSON.stringify(r.metadata), r.adapter, r.status, now, now]));
}

/** Registration columns a per-bucket count may filter on (the metric families of spec §8.2). */
export const BUCKET_FILTER_COLUMNS = { msgType: 'msg_type', msgReceiver: 'msg_receiver', language: 'language', operatorState: 'operator_state', operatorRole: 'operator_role' } as const;

/** Which registrations a per-bucket count counts. */
export interface BucketCountFilter {
  /** A column and the value it must hold. */
  column?: keyof typeof BUCKET_FILTER_COLUMNS;
  value?: string;
  /** Only registrations of the source with this slug. */
  sourceSlug?: string;
  /** Only registrations of these sources (none: every source). */
  sourceIds?: string[];
}

/**
 * Counts an org's registrations per bucket in one statement (spec §8.7, on-the-fly series): those
 * created in (start, end] of each bucket, and those created up to the first bucket's start, from
 * which a running total follows when the buckets are contiguous.
 * @param orgId the org.
 * @param buckets the buckets, in order.
 * @param filter the registrations to count.
 * @returns the count up to the first start, and one count per bucket.
 */
export async function countRegistrationsPerBucket(orgId: number, buckets: { start: Date; end: Date }[], filter: BucketCountFilter = {}): Promise<{ before: number; counts: number[] }> {
  if (!buckets.length) return { before: 0, counts: [] };
  const params: unknown[] = [orgId, buckets.map((b) => b.start), buckets.map((b) => b.end)];
  const conditions: string[] = [];
  if (filter.column) {
    params.push(filter.value ?? null);
    conditions.push(`r.${BUCKET_FILTER_COLUMNS[filter.column]} = $${params.length}`);
  }
  if (filter.sourceSlug !== undefined) {
    params.push(filter.sourceSlug);
    conditions.push(`r.source_id IN (SELECT s.id FROM registration_sources s WHERE s.org_id = $1 AND s.slug = $${params.length})`);
  }
  if (filter.sourceIds?.length) {
    params.push(filter.sourceIds);
    conditions.push(`r.source_id = ANY($${params.length}::uuid[])`);
  }
  const and = conditions.map((c) => ` AND ${c}`).join('');
  // Bucket 0 is "up to the first start"; each bucket is an index range on (org_id, created_at).
  const { rows } = await pgPool().query<{ i: number; n: number }>(`
    SELECT b.i::int AS i, (SELECT count(*) FROM registrations r WHERE r.org_id = $1 AND r.created_at > b.s AND r.created_at <= b.e${and})::int AS n
    FROM unnest('-infinity'::timestamptz || $2::timestamptz[], ($2::timestamptz[])[1:1] || $3::timestamptz[]) WITH ORDINALITY AS b(s, e, i)
    ORDER BY b.i`, params);
  return { before: rows[0]!.n, counts: rows.slice(1).map((r) => r.n) };
}
