import { cursorBatches } from './cursor.js';

/** Which contacts a participation matrix lists. */
export interface ParticipationSelection {
  /** The regions of the region context: active contacts whose region is one of them. */
  regionIds: number[];
  /** Search terms: each must appear in the name or the URN, ignoring case (spec §17.9). */
  terms: string[];
  /** The poll runs of the columns, in order. */
  pollRunIds: number[];
}

/**
 * Streams the participation matrix through one cursor: name, URN, region id, then the status of
 * the contact's active response in each poll run (C, P, E, or '' for none), by name. Each contact
 * costs one index probe per poll run, bounded by (poll run, contact).
 * @param orgId the org.
 * @param selection the contacts and poll runs.
 * @returns batches of rows.
 */
export function participationCsvBatches(orgId: number, selection: ParticipationSelection): AsyncGenerator<unknown[][]> {
  const values: unknown[] = [orgId, selection.regionIds];
  const search = selection.terms.map((term) => {
    values.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `AND (c.name ILIKE $${values.length} OR c.urn ILIKE $${values.length})`;
  });
  const runs = selection.pollRunIds.length ? values.push(selection.pollRunIds) : 0;
  const statuses = selection.pollRunIds.map((id, i) => `coalesce(max(r.status::text) FILTER (WHERE r.poll_run_id = $${values.push(id)}::int), '') AS s${i}`);
  const pivot = statuses.length
    ? `CROSS JOIN LATERAL (SELECT ${statuses.join(', ')} FROM responses r
                           WHERE r.org_id = $1 AND r.poll_run_id = ANY($${runs}::int[]) AND r.contact_id = c.id AND r.is_active) s`
    : '';
  return cursorBatches(
    `SELECT c.name, coalesce(c.urn, ''), c.region_id ${statuses.map((_, i) => `, s.s${i}`).join('')}
     FROM contacts c ${pivot}
     WHERE c.org_id = $1 AND c.is_active AND c.region_id = ANY($2::int[]) ${search.join(' ')}
     ORDER BY c.name, c.id`,
    values,
  );
}
