import { redis, redisKey } from '../db/redis.js';
import { env } from '../env.js';
import type { Org } from '../generated/prisma/client.js';
import type { RapidProClient } from '../rapidpro/client/index.js';
import { readOrgSettings } from '../tenancy/orgSettings.js';
import { archiveEnd, type ArchiveFetch } from './fetchPastState.js';

/** Rows per API page (fixed by RapidPro). */
const PAGE_SIZE = 250;
/** The basis of an estimate is reused this long, so typing in the form costs no requests. */
const BASIS_TTL_SECONDS = 300;
/** Clock differences below this are noise; above it RapidPro's clock decides what "the past N days" is. */
const SKEW_TOLERANCE_MS = 60_000;

/** A run archive as listed by archives.json. */
export interface ArchiveRef {
  period: 'daily' | 'monthly';
  startDate: string;
  records: number;
  downloadUrl: string;
}

/** What an estimate is computed from: two cheap listings in the `v2` scope, none in `v2.runs`. */
export interface EstimateBasis {
  /** RapidPro's clock (Date header) when read, and ours at the same moment. */
  serverNow: string;
  localNow: string;
  /** Every flow with its run count (all exit types) and creation time. */
  flows: { uuid: string; runs: number; createdOn: string }[];
  /** Every run archive. */
  archives: ArchiveRef[];
  /** Requests the two listings took. */
  listRequests: number;
}

/** The estimate shown before a fetch and stored with it. */
export interface FetchEstimate {
  /** API requests the fetch should take. */
  requests: number;
  /** The org's budget per hour and scope, and the share of it the fetch takes (percent). */
  hourlyBudget: number;
  percent: number;
  /** Runs expected from the runs endpoint, and archived runs to read (of every flow: files are whole). */
  liveRuns: number;
  archivedRuns: number;
  /** Archive files to download (pre-signed URLs outside the API: they cost no requests). */
  archives: ArchiveRef[];
  /** Estimated runs in the period per tracked flow uuid. */
  perFlow: Map<string, number>;
}

/**
 * Reads the basis of an estimate: all flows (run counts) and all run archives, with RapidPro's
 * clock. Cached in Redis for a few minutes unless `fresh` (the job always reads fresh).
 * @param orgId the org (cache key).
 * @param client the org's client.
 * @param fresh skip the cache.
 * @returns the basis.
 */
export async function loadEstimateBasis(orgId: number, client: RapidProClient, fresh = false): Promise<EstimateBasis> {
  const key = redisKey('run-fetch-basis', orgId);
  if (!fresh) {
    const cached = await redis().get(key);
    if (cached) return JSON.parse(cached) as EstimateBasis;
  }
  let listRequests = 0;
  const flows: EstimateBasis['flows'] = [];
  for await (const page of client.flows().pages()) {
    listRequests++;
    for (const f of page.items) flows.push({ uuid: f.uuid, runs: Object.values(f.runs).reduce<number>((a, b) => a + (b ?? 0), 0), createdOn: f.createdOn.iso });
  }
  const archives: ArchiveRef[] = [];
  for await (const page of client.archives({ type: 'run' }).pages()) {
    listRequests++;
    for (const a of page.items) if (a.type === 'run') archives.push({ period: a.period, startDate: a.startDate, records: a.recordCount, downloadUrl: a.downloadUrl });
  }
  const basis: EstimateBasis = { serverNow: (client.serverTime() ?? new Date()).toISOString(), localNow: new Date().toISOString(), flows, archives, listRequests };
  await redis().set(key, JSON.stringify(basis), 'EX', BASIS_TTL_SECONDS);
  return basis;
}

/**
 * Moves a period start taken on our clock onto RapidPro's: watermarks are server timestamps
 * (rapidpro-api §7), and a simulator's clock may be years away from ours.
 * @param basis the basis (both clocks at one moment).
 * @param since the start on our clock.
 * @returns the start on RapidPro's clock.
 */
export function serverSince(basis: Pick<EstimateBasis, 'serverNow' | 'localNow'>, since: Date): Date {
  const skew = Date.parse(basis.serverNow) - Date.parse(basis.localNow);
  return Math.abs(skew) > SKEW_TOLERANCE_MS ? new Date(since.getTime() + skew) : since;
}

/**
 * The archives to read for a period: monthly files win over the daily files of their month (both
 * can be listed, rapidpro-api §5.11), and only periods ending after `since` matter. Oldest first.
 * @param archives every run archive.
 * @param since start of the period.
 * @returns the files to read.
 */
export function chooseArchives<A extends Pick<ArchiveFetch, 'period' | 'startDate'>>(archives: A[], since: Date): A[] {
  const months = new Set(archives.filter((a) => a.period === 'monthly').map((a) => a.startDate.slice(0, 7)));
  return archives
    .filter((a) => a.period === 'monthly' || !months.has(a.startDate.slice(0, 7)))
    .filter((a) => archiveEnd(a).getTime() > since.getTime())
    .sort((a, b) => a.startDate.localeCompare(b.startDate));
}

/**
 * The org's request budget per hour and scope (as rapidProFor sets it: its share of the server's rate).
 * @param org the org.
 * @returns requests per hour.
 */
export function hourlyBudget(org: Pick<Org, 'settings'>): number {
  return Math.max(1, Math.floor(env().RAPIDPRO_SERVER_RATE_PER_HOUR * readOrgSettings(org.settings).apiBudgetShare));
}

/**
 * Estimates a fetch without reading a single run. Method: a flow's run count (flows.json) is
 * spread evenly over its life, so a flow with R runs created D days ago has about R × d / D runs
 * in the last d days. Runs older than RapidPro's retention are in archive files (the newest
 * archive's end is where the runs endpoint starts); each tracked poll then costs one request per
 * 250 live runs (at least one), plus the flows and archives listings. Archive downloads and
 * contacts fetched because they joined since the last contacts sync are not counted.
 * @param basis flows, archives and clocks.
 * @param flowUuids the tracked polls' flows.
 * @param since start of the period, on RapidPro's clock.
 * @param budget the org's hourly budget.
 * @returns the estimate.
 */
export function estimateFetch(basis: EstimateBasis, flowUuids: string[], since: Date, budget: number): FetchEstimate {
  const now = Date.parse(basis.serverNow);
  const archives = chooseArchives(basis.archives, since);
  const cutoff = basis.archives.reduce((max, a) => Math.max(max, archiveEnd(a).getTime()), -Infinity);
  const liveStart = Math.max(since.getTime(), cutoff);
  const perFlow = new Map<string, number>();
  let liveRuns = 0;
  let runRequests = 0;
  for (const uuid of flowUuids) {
    const flow = basis.flows.find((f) => f.uuid === uuid);
    const created = flow ? Date.parse(flow.createdOn) : now;
    const life = Math.max(1, now - created);
    const share = (from: number) => (flow ? (flow.runs * Math.max(0, now - Math.max(from, created))) / life : 0);
    perFlow.set(uuid, Math.round(share(since.getTime())));
    const live = share(liveStart);
    liveRuns += live;
    runRequests += Math.max(1, Math.ceil(live / PAGE_SIZE));
  }
  const requests = runRequests + basis.listRequests;
  return {
    requests,
    hourlyBudget: budget,
    percent: Math.round((requests / budget) * 1000) / 10,
    liveRuns: Math.round(liveRuns),
    archivedRuns: archives.reduce((sum, a) => sum + a.records, 0),
    archives,
    perFlow,
  };
}
