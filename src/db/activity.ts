import { both } from './counterReads.js';
import { pgPool } from './pool.js';

/** How far back the most-active widgets look (spec §15.3). */
export const ACTIVITY_DAYS = 30;
/** How many rows each most-active widget shows (spec §15.3). */
export const MOST_ACTIVE_LIMIT = 5;

/** A region or reporter group with its recent non-empty responses. */
export interface ActiveEntry {
  id: number;
  name: string;
  responseCount: number;
}

/**
 * The window of spec §15.3, "[now − 30 days, now)", at the counters' grain: response counters are
 * keyed by the org-local day of a response's last change, so the window is every org-local day from
 * the one holding (now − 30 days) to today, both whole. It never misses a response of the exact
 * window and may add those of the first day's earlier hours (at most one day more).
 * Parameter $2 is the org's time zone.
 */
const IN_WINDOW = `local_day BETWEEN ((now() - interval '${ACTIVITY_DAYS} days') AT TIME ZONE $2)::date AND (now() AT TIME ZONE $2)::date`;

/** Non-empty responses (active ones of counted contacts: what the counters hold) inside the window and regions ($3). */
const ACTIVE = `org_id = $1 AND status <> 'E' AND ${IN_WINDOW} AND ($3::int[] IS NULL OR region_id = ANY($3::int[]))`;

/** The two most-active lists (spec §15.3). */
export interface MostActive {
  regions: ActiveEntry[];
  reporterGroups: ActiveEntry[];
}

/**
 * The regions and the reporter groups with the most non-empty responses changed in the last 30
 * days (spec §15.3), read from the response counters, never from responses. A response counts
 * once for its contact's region (reporter group 0 = everyone) and once for every reporter group of
 * its contact. Both lists come from one read of the window's counter rows (bounded by poll runs ×
 * regions × reporter groups × statuses × days, not by contacts): the (org, day) index reaches the
 * same rows for either list, so reading them once halves the work of the home page.
 * @param orgId the org.
 * @param timeZone the org's time zone (the counters' days are org-local).
 * @param regionIds only responses of contacts in these regions (the user's data regions), or null.
 * @param limit most rows per list.
 * @returns active regions and active reporter groups with a non-zero count, most active first (then by name).
 */
export async function mostActive(orgId: number, timeZone: string, regionIds: number[] | null, limit = MOST_ACTIVE_LIMIT): Promise<MostActive> {
  const { rows } = await pgPool().query<ActiveEntry & { kind: 'region' | 'group' }>(
    `WITH totals AS (
       SELECT region_id, reporter_group_id, sum(responses)::int AS total
       FROM ${both('response_counters', 'region_id, reporter_group_id, responses', ACTIVE)} x
       GROUP BY region_id, reporter_group_id
     ),
     by_region AS (
       SELECT r.id, r.name, t.total FROM (SELECT region_id, sum(total)::int AS total FROM totals WHERE reporter_group_id = 0 GROUP BY region_id) t
       JOIN regions r ON r.id = t.region_id AND r.org_id = $1 AND r.is_active
       WHERE t.total > 0 ORDER BY t.total DESC, r.name, r.id LIMIT $4
     ),
     by_group AS (
       SELECT g.id, g.name, t.total FROM (SELECT reporter_group_id, sum(total)::int AS total FROM totals WHERE reporter_group_id <> 0 GROUP BY reporter_group_id) t
       JOIN reporter_groups g ON g.id = t.reporter_group_id AND g.org_id = $1 AND g.is_active
       WHERE t.total > 0 ORDER BY t.total DESC, g.name, g.id LIMIT $4
     )
     SELECT 'region' AS kind, id, name, total AS "responseCount" FROM by_region
     UNION ALL
     SELECT 'group' AS kind, id, name, total AS "responseCount" FROM by_group
     ORDER BY kind, "responseCount" DESC, name, id`,
    [orgId, timeZone, regionIds, limit],
  );
  const list = (kind: 'region' | 'group') => rows.filter((r) => r.kind === kind).map(({ id, name, responseCount }) => ({ id, name, responseCount }));
  return { regions: list('region'), reporterGroups: list('group') };
}
