import type { ActiveEntry } from '../../../db/activity.js';
import type { LatestPollRun } from '../../../db/latestPollRuns.js';
import type { LatestRunsWidget, PollWidgets, StatusCounts } from './widgets.js';

/** A poll run as GET /api/pollruns/latest answers it (spec §18.1). */
export interface PollRunJson {
  id: number;
  poll: { id: number; name: string };
  conductedOn: string;
  region: { id: number; name: string } | null;
  responses: StatusCounts;
}

/** A list as the JSON endpoints of spec §18 answer it. */
export interface ListJson<T> {
  count: number;
  results: T[];
}

/**
 * The completion of spec §15.1: ⌊100 × C ÷ (E + P + C)⌋, or null when nobody was asked.
 * @param counts the status counts.
 * @returns the whole percentage, or null.
 */
export function completion(counts: StatusCounts): number | null {
  const total = counts.E + counts.P + counts.C;
  return total ? Math.floor((100 * counts.C) / total) : null;
}

/**
 * A poll run in the shape of spec §18.1.
 * @param run the poll run.
 * @param counts its status counts in the region context.
 * @returns the JSON object.
 */
export function presentPollRunJson(run: LatestPollRun, counts: StatusCounts): PollRunJson {
  return {
    id: run.id,
    poll: { id: run.pollId, name: run.pollName },
    conductedOn: run.conductedOn.toISOString(),
    region: run.regionId === null ? null : { id: run.regionId, name: run.regionName ?? '' },
    responses: counts,
  };
}

/**
 * The "Most recent poll runs" widget as JSON (spec §18.1).
 * @param widget the poll runs with their counts.
 * @returns {count, results}.
 */
export function presentLatestRuns(widget: LatestRunsWidget): ListJson<PollRunJson> {
  const results = widget.map(({ run, counts }) => presentPollRunJson(run, counts));
  return { count: results.length, results };
}

/**
 * A most-active widget as JSON (spec §18.2).
 * @param entries the regions or reporter groups.
 * @returns {count, results}.
 */
export function presentActive(entries: ActiveEntry[]): ListJson<ActiveEntry> {
  return { count: entries.length, results: entries };
}

/** A row of a poll-run table on the home page: the §18.1 object plus the figures the table shows. */
export type PollRunRow = PollRunJson & { participants: number; completion: number | null };

function row(run: LatestPollRun, counts: StatusCounts): PollRunRow {
  return { ...presentPollRunJson(run, counts), participants: counts.E + counts.P + counts.C, completion: completion(counts) };
}

/**
 * The poll widgets for the page.
 * @param widgets the polls with their latest poll run, and the most recent poll runs.
 * @returns the rows of both tables.
 */
export function presentPollWidgets(widgets: PollWidgets) {
  return {
    polls: widgets.polls.map((p) => ({ id: p.pollId, name: p.pollName, latest: p.latest && p.counts ? row(p.latest, p.counts) : null })),
    latestRuns: widgets.latestRuns.map(({ run, counts }) => row(run, counts)),
  };
}
