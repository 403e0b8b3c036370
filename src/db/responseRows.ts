import { cursorBatches } from './cursor.js';
import { pgPool } from './pool.js';

/** A contact field filter (spec §20.2): the contact's value for the key contains the text, ignoring case. */
export interface FieldFilter {
  key: string;
  value: string;
}

/**
 * The responses of a poll run that a page or an export reads (spec §12.4 responsesOf with
 * includeEmpty = false): of active contacts with a region among `regionIds`, not empty.
 */
export interface ResponseSelection {
  pollRunId: number;
  /** The regions of the region context (active ones): the contact's region must be one of them. */
  regionIds: number[];
  /** Only contacts in this reporter group (null: every contact). */
  groupId?: number | null;
  /** Contact field filters, all of which must match. */
  fieldFilters: FieldFilter[];
  /** Superseded responses too (the CSV exports every submission, §19). */
  includeSuperseded?: boolean;
}

/** One row of the responses tab, before its answers are added. */
export interface ResponseRow {
  id: number;
  contactId: number;
  updatedOn: Date;
  regionId: number;
  groupIds: number[];
  name: string;
  urn: string | null;
}

/** `%text%` for ILIKE, with the pattern characters of the text taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The selection's WHERE clause over `responses r`, with its parameters from $1 (org, poll run,
 * regions, the group if any, then two per field filter). Every condition starts from (org, poll run): the scan is
 * bounded by the poll run's index.
 */
function selectionWhere(orgId: number, selection: ResponseSelection): { where: string; values: unknown[] } {
  const values: unknown[] = [orgId, selection.pollRunId, selection.regionIds];
  const conditions = [
    'r.org_id = $1', 'r.poll_run_id = $2', 'r.contact_counted', 'r.region_id = ANY($3::int[])', `r.status <> 'E'`,
    ...(selection.includeSuperseded ? [] : ['r.is_active']),
  ];
  if (selection.groupId) conditions.push(`r.group_ids @> ARRAY[$${values.push(selection.groupId)}::int]`);
  if (selection.fieldFilters.length) {
    const matches = selection.fieldFilters.map((filter) => {
      values.push(filter.key, containsPattern(filter.value));
      return `(c.fields ->> $${values.length - 1}) ILIKE $${values.length}`;
    });
    conditions.push(`EXISTS (SELECT 1 FROM contacts c WHERE c.org_id = $1 AND c.id = r.contact_id AND ${matches.join(' AND ')})`);
  }
  return { where: conditions.join(' AND '), values };
}

/**
 * One page of a poll run's responses, newest change first (spec §17.8), with each contact's name
 * and URN. The contacts are joined for the page's rows only.
 * @param orgId the org.
 * @param selection which responses.
 * @param page offset and limit.
 * @returns the rows.
 */
export async function responsePage(orgId: number, selection: ResponseSelection, page: { offset: number; limit: number }): Promise<ResponseRow[]> {
  const { where, values } = selectionWhere(orgId, selection);
  const { rows } = await pgPool().query<{ id: number; contact_id: number; updated_on: Date; region_id: number; group_ids: number[]; name: string; urn: string | null }>(
    `SELECT p.id, p.contact_id, p.updated_on, p.region_id, p.group_ids, c.name, c.urn
     FROM (SELECT r.id, r.contact_id, r.updated_on, r.region_id, r.group_ids FROM responses r WHERE ${where}
           ORDER BY r.updated_on DESC, r.id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}) p
     JOIN contacts c ON c.org_id = $1 AND c.id = p.contact_id
     ORDER BY p.updated_on DESC, p.id DESC`,
    [...values, page.limit, page.offset],
  );
  return rows.map((r) => ({ id: r.id, contactId: r.contact_id, updatedOn: r.updated_on, regionId: r.region_id, groupIds: r.group_ids, name: r.name, urn: r.urn }));
}

/**
 * Counts the selected responses (when contact filters rule out the counters).
 * @param orgId the org.
 * @param selection which responses.
 * @returns the count.
 */
export async function countResponses(orgId: number, selection: ResponseSelection): Promise<number> {
  const { where, values } = selectionWhere(orgId, selection);
  const { rows: [row] } = await pgPool().query<{ count: number }>(`SELECT count(*)::int AS count FROM responses r WHERE ${where}`, values);
  return row!.count;
}

/**
 * Streams the selected responses as CSV cells (spec §19) through one cursor: the date already
 * formatted `Mon DD, YYYY HH:MM` in the org's time zone, name, URN, region id, reporter group ids
 * (as Postgres array text), then the raw value of each question in the given order ('' when
 * unanswered). Answers are pivoted by the database, one index probe per response, bounded by the
 * poll run.
 * @param orgId the org.
 * @param selection which responses (usually with includeSuperseded).
 * @param questionIds the answer columns, in order.
 * @param timeZone the org's IANA time zone.
 * @returns batches of rows, newest change first.
 */
export function responseCsvBatches(orgId: number, selection: ResponseSelection, questionIds: number[], timeZone: string): AsyncGenerator<unknown[][]> {
  const { where, values } = selectionWhere(orgId, selection);
  const zone = values.push(timeZone);
  const pivot = questionIds.map((id, i) => `coalesce(max(a.value) FILTER (WHERE a.question_id = $${values.push(id)}::int), '') AS q${i}`);
  const answers = pivot.length
    ? `CROSS JOIN LATERAL (SELECT ${pivot.join(', ')} FROM answers a WHERE a.org_id = $1 AND a.response_id = r.id) a`
    : '';
  const columns = pivot.map((_, i) => `, x.q${i}`).join('');
  // The answers are looked up in the responses' physical order (answers are written with their
  // response, so the probes walk the table instead of jumping around it), and the rows sorted after:
  // the OFFSET 0 fence keeps the planner from sorting first.
  return cursorBatches(
    `SELECT to_char(x.updated_on AT TIME ZONE $${zone}, 'Mon DD, YYYY HH24:MI'), c.name, coalesce(c.urn, ''), x.region_id, x.group_ids::text ${columns}
     FROM (SELECT r.id, r.contact_id, r.updated_on, r.region_id, r.group_ids ${pivot.length ? ', a.*' : ''}
           FROM responses r ${answers}
           WHERE ${where} OFFSET 0) x
     JOIN contacts c ON c.org_id = $1 AND c.id = x.contact_id
     ORDER BY x.updated_on DESC, x.id DESC`,
    values,
  );
}
