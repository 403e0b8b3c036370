import type { TFunction } from 'i18next';
import type { RunFetch } from '../generated/prisma/client.js';
import { msg } from '../i18n/msg.js';
import type { FetchEstimate } from './fetchPastEstimate.js';
import { fetchFractions, readFetchState } from './fetchPastState.js';

const STATUS_LABELS: Record<string, string> = {
  queued: msg('Queued'),
  running: msg('Running'),
  done: msg('Done'),
  failed: msg('Failed'),
};

/** One fetch as the page and its progress JSON show it; every text is already translated. */
export interface RunFetchView {
  id: number;
  status: string;
  statusLabel: string;
  /** Still queued or running: the page keeps refreshing. */
  active: boolean;
  createdAt: Date;
  since: Date;
  finishedAt: Date | null;
  /** Whole fetch, 0–100. */
  percent: number;
  requestsText: string;
  polls: { name: string; percent: number; summary: string }[];
  log: string[];
  error: string | null;
}

/**
 * Presents a fetch with its progress (total and per poll) and report.
 * @param row the run_fetches row.
 * @param t the viewer's translator.
 * @returns the view model.
 */
export function presentRunFetch(row: RunFetch, t: TFunction): RunFetchView {
  const state = readFetchState(row.progress);
  const finished = row.status === 'done';
  const fractions = fetchFractions(state, row.since, finished);
  const percent = (f: number) => Math.floor(f * 100);
  return {
    id: row.id,
    status: row.status,
    statusLabel: t(STATUS_LABELS[row.status] ?? row.status),
    active: row.status === 'queued' || row.status === 'running',
    createdAt: row.createdAt,
    since: row.since,
    finishedAt: row.finishedAt,
    percent: percent(fractions.total),
    requestsText: state.planned
      ? t('{{made}} API requests (about {{estimated}} expected)', { made: row.requestsMade, estimated: row.estimatedRequests })
      : t('Waiting for a worker to start it.'),
    polls: state.polls.map((poll, i) => ({
      name: poll.name,
      percent: percent(fractions.polls[i] ?? 0),
      summary: t('{{read}} read: {{created}} created, {{updated}} updated, {{skipped}} skipped', { read: poll.read, created: poll.created, updated: poll.updated, skipped: poll.skipped }),
    })),
    log: row.log,
    error: row.error,
  };
}

/**
 * The estimate as the form shows it: requests, share of the hourly budget, and the archives.
 * @param estimate the estimate.
 * @param t the viewer's translator.
 * @returns numbers and one translated sentence.
 */
export function presentEstimate(estimate: FetchEstimate, t: TFunction) {
  const budget = t('About {{requests}} API requests, {{percent}}% of this organization’s hourly budget ({{budget}} requests per hour).', { requests: estimate.requests, percent: estimate.percent, budget: estimate.hourlyBudget });
  const archives = estimate.archives.length
    ? ` ${t('Runs older than RapidPro keeps online are read from {{files}} archive files ({{runs}} runs); downloading them does not count against the budget.', { files: estimate.archives.length, runs: estimate.archivedRuns })}`
    : '';
  return { requests: estimate.requests, percent: estimate.percent, hourlyBudget: estimate.hourlyBudget, liveRuns: estimate.liveRuns, archivedRuns: estimate.archivedRuns, archiveFiles: estimate.archives.length, text: budget + archives };
}
