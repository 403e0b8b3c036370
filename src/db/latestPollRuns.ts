import { pgPool } from './pool.js';

/**
 * The terms of spec §12.1 visibleForRegion(R, sub), worked out from the org's region tree: a poll
 * run is visible when R is null, or its region is null or R, or it was propagated from an ancestor
 * of R, or (with sub-regions) its region is below R.
 */
export interface PollRunVisibility {
  /** R, or null for "All regions". */
  regionId: number | null;
  /** Ancestors of R (a propagated start from one of them reached R). */
  ancestorIds: number[];
  /** Descendants of R when sub-regions are included, else none. */
  descendantIds: number[];
}

/** A poll run as the home widgets show it. */
export interface LatestPollRun {
  id: number;
  pollId: number;
  pollName: string;
  conductedOn: Date;
  regionId: number | null;
  regionName: string | null;
}

/** The visibility condition on poll runs aliased `pr`, with R, ancestors and descendants in $2–$4. */
const VISIBLE = `($2::int IS NULL OR pr.region_id IS NULL OR pr.region_id = $2
                  OR (pr.type = 'propagated' AND pr.region_id = ANY($3::int[])) OR pr.region_id = ANY($4::int[]))`;

const COLUMNS = `pr.id, pr.poll_id AS "pollId", coalesce(p.custom_name, p.rapidpro_name) AS "pollName",
                 pr.conducted_on AS "conductedOn", pr.region_id AS "regionId", rg.name AS "regionName"`;

const params = (orgId: number, v: PollRunVisibility) => [orgId, v.regionId, v.ancestorIds, v.descendantIds];

/**
 * The most recent poll runs of tracked polls visible for a region (spec §18.1, newest first).
 * @param orgId the org.
 * @param visibility the region context's terms.
 * @param limit how many.
 * @returns the poll runs with their poll's and region's names.
 */
export async function latestPollRuns(orgId: number, visibility: PollRunVisibility, limit = 5): Promise<LatestPollRun[]> {
  const { rows } = await pgPool().query<LatestPollRun>(
    `SELECT ${COLUMNS}
     FROM poll_runs pr
     JOIN polls p ON p.id = pr.poll_id AND p.org_id = $1 AND p.is_active
     LEFT JOIN regions rg ON rg.id = pr.region_id AND rg.org_id = $1
     WHERE pr.org_id = $1 AND ${VISIBLE}
     ORDER BY pr.conducted_on DESC, pr.id DESC LIMIT $5`,
    [...params(orgId, visibility), limit],
  );
  return rows;
}

/** A tracked poll and its latest visible poll run, if any. */
export interface PollWithLatestRun {
  pollId: number;
  pollName: string;
  latest: LatestPollRun | null;
}

/**
 * Every tracked poll with its latest poll run visible for a region (one index probe per poll).
 * @param orgId the org.
 * @param visibility the region context's terms.
 * @returns the polls, in no particular order.
 */
export async function latestRunPerPoll(orgId: number, visibility: PollRunVisibility): Promise<PollWithLatestRun[]> {
  const { rows } = await pgPool().query<LatestPollRun & { id: number | null; trackedPollId: number; trackedPollName: string }>(
    `SELECT p.id AS "trackedPollId", coalesce(p.custom_name, p.rapidpro_name) AS "trackedPollName", ${COLUMNS}
     FROM polls p
     LEFT JOIN LATERAL (
       SELECT pr.* FROM poll_runs pr
       WHERE pr.org_id = $1 AND pr.poll_id = p.id AND ${VISIBLE}
       ORDER BY pr.conducted_on DESC, pr.id DESC LIMIT 1
     ) pr ON true
     LEFT JOIN regions rg ON rg.id = pr.region_id AND rg.org_id = $1
     WHERE p.org_id = $1 AND p.is_active`,
    params(orgId, visibility),
  );
  return rows.map(({ trackedPollId, trackedPollName, ...run }) => ({
    pollId: trackedPollId,
    pollName: trackedPollName,
    latest: run.id === null ? null : run,
  }));
}
