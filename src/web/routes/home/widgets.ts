import type { Request } from 'express';
import { mostActive, type MostActive } from '../../../db/activity.js';
import { responseStatusCounts } from '../../../db/counterReads.js';
import { latestPollRuns, latestRunPerPoll, type LatestPollRun, type PollRunVisibility, type PollWithLatestRun } from '../../../db/latestPollRuns.js';
import type { RegionContext } from '../../../regions/context.js';
import { orgRegionLinks } from '../pollruns/visibility.js';

/** How many poll runs the "Most recent poll runs" widget lists (spec §18.1). */
export const LATEST_RUNS_LIMIT = 5;

/** Response statuses of a poll run within the region context (spec §12.4 statusCounts). */
export type StatusCounts = Record<'E' | 'P' | 'C', number>;

/** What every home widget reads: the org, and whose responses are counted. */
export interface HomeScope {
  orgId: number;
  timeZone: string;
  /** The data regions (spec §5.1), or null for every region. */
  regionIds: number[] | null;
}

/**
 * Tells whether the user has no region at all (spec §17.2): a supervisor, or a viewer whose
 * assigned regions are all gone. Such a user sees a notice and no data.
 * @param context the region context.
 * @returns true when the user sees no region.
 */
export function hasNoRegions(context: RegionContext): boolean {
  return context.userRegionIds !== null && context.userRegionIds.size === 0;
}

/**
 * The home widgets' scope for a request, or null when the user has no region (no data to show).
 * @param req the request (org and region context loaded).
 * @returns the scope, or null.
 */
export function homeScope(req: Request): HomeScope | null {
  const context = req.regions!;
  if (hasNoRegions(context)) return null;
  return { orgId: req.org!.id, timeZone: req.org!.timezone, regionIds: context.dataRegionIds ? [...context.dataRegionIds] : null };
}

/**
 * Which poll runs the region context lists (spec §12.1). The ancestors of the current region come
 * from the whole org's tree, since a start propagated from above a supervisor's regions reaches them.
 * @param req the request (org and region context loaded).
 * @returns the visibility terms.
 */
export async function pollRunVisibility(req: Request): Promise<PollRunVisibility> {
  const context = req.regions!;
  const current = context.current?.id ?? null;
  if (current === null) return { regionId: null, ancestorIds: [], descendantIds: [] };
  const links = await orgRegionLinks(req.org!.id);
  return {
    regionId: current,
    ancestorIds: [...links.ancestors(current)],
    descendantIds: context.includeSubregions ? [...links.descendants(current)] : [],
  };
}

const statusCounts = (scope: HomeScope, runs: LatestPollRun[]) =>
  responseStatusCounts(scope.orgId, [...new Set(runs.map((r) => r.id))], { regionIds: scope.regionIds, reporterGroupId: 0 });

/** The most recent poll runs with their participation. */
export type LatestRunsWidget = { run: LatestPollRun; counts: StatusCounts }[];

/**
 * The "Most recent poll runs" widget (spec §17.2 item 2, §18.1).
 * @param scope the home scope.
 * @param visibility which poll runs are listed.
 * @returns the poll runs, newest first, each with its status counts.
 */
export async function latestRunsWidget(scope: HomeScope, visibility: PollRunVisibility): Promise<LatestRunsWidget> {
  const runs = await latestPollRuns(scope.orgId, visibility, LATEST_RUNS_LIMIT);
  const counts = await statusCounts(scope, runs);
  return runs.map((run) => ({ run, counts: counts.get(run.id)! }));
}

/** Every widget of the home page that reads poll runs. */
export interface PollWidgets {
  polls: (PollWithLatestRun & { counts: StatusCounts | null })[];
  latestRuns: LatestRunsWidget;
}

/**
 * The "Polls" widget (each tracked poll's latest visible poll run) and the "Most recent poll runs"
 * widget, whose status counts come from one counter read for the poll runs of both.
 * @param scope the home scope.
 * @param visibility which poll runs are listed.
 * @returns both widgets; polls sorted by name (case-insensitively).
 */
export async function pollWidgets(scope: HomeScope, visibility: PollRunVisibility): Promise<PollWidgets> {
  const [polls, runs] = await Promise.all([latestRunPerPoll(scope.orgId, visibility), latestPollRuns(scope.orgId, visibility, LATEST_RUNS_LIMIT)]);
  const counts = await statusCounts(scope, [...polls.flatMap((p) => (p.latest ? [p.latest] : [])), ...runs]);
  return {
    polls: polls
      .map((p) => ({ ...p, counts: p.latest ? counts.get(p.latest.id)! : null }))
      .sort((a, b) => a.pollName.localeCompare(b.pollName, undefined, { sensitivity: 'base' }) || a.pollId - b.pollId),
    latestRuns: runs.map((run) => ({ run, counts: counts.get(run.id)! })),
  };
}

/**
 * The "Active regions" and "Active reporter groups" widgets (spec §15.3) of the home scope: both
 * come from one counter read.
 * @param scope the home scope.
 * @returns up to five regions and five reporter groups.
 */
export function activity(scope: HomeScope): Promise<MostActive> {
  return mostActive(scope.orgId, scope.timeZone, scope.regionIds);
}
