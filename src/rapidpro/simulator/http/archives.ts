import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { runJson } from '../render/runs.js';
import { isoDate, US_PER_DAY } from '../time.js';
import type { Workspace } from '../world/workspace.js';
import { badRequest, pageOf, smallSource, type ApiRequest, type ApiResult } from './api.js';

/** One archive file: a day or a month of runs, by modified_on. */
export interface ArchivePeriod {
  period: 'daily' | 'monthly';
  startUs: number;
  endUs: number;
}

function monthStart(us: number, add = 0): number {
  const date = new Date(Math.floor(us / 1000));
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + add, 1) * 1000;
}

/**
 * Lists the archive periods published at an instant: whole months before the live cutoff as
 * monthly files, the remaining days as daily files (a monthly file replaces its dailies).
 * @returns periods, oldest first.
 */
export function archivePeriods(ws: Workspace, nowUs: number): ArchivePeriod[] {
  const cutoff = ws.liveCutoffUs(nowUs);
  const periods: ArchivePeriod[] = [];
  let cursor = monthStart(ws.historyStartUs);
  while (monthStart(cursor, 1) <= cutoff) {
    periods.push({ period: 'monthly', startUs: cursor, endUs: monthStart(cursor, 1) });
    cursor = monthStart(cursor, 1);
  }
  for (let day = cursor; day + US_PER_DAY <= cutoff; day += US_PER_DAY) periods.push({ period: 'daily', startUs: day, endUs: day + US_PER_DAY });
  return periods;
}

/** The runs of one archive period, as JSON lines. */
export function* archiveLines(ws: Workspace, period: ArchivePeriod, nowUs: number): Generator<string> {
  const runs = ws.runs;
  for (const r of runs.index.ascending(period.startUs, period.endUs - 1)) {
    if (!runs.deleted[r]) yield `${JSON.stringify(runJson(ws, r, nowUs, true))}\n`;
  }
}

/** Streams one archive file gzipped. */
export function archiveStream(ws: Workspace, period: ArchivePeriod, nowUs: number): NodeJS.ReadableStream {
  return Readable.from(archiveLines(ws, period, nowUs)).pipe(createGzip());
}

async function digest(ws: Workspace, period: ArchivePeriod, nowUs: number): Promise<{ size: number; md5: string; records: number }> {
  const key = `run:${period.period}:${period.startUs}`;
  const cached = ws.archiveCache.get(key);
  if (cached) return cached;
  let records = 0;
  for (const r of ws.runs.index.ascending(period.startUs, period.endUs - 1)) if (!ws.runs.deleted[r]) records++;
  const md5 = createHash('md5');
  let size = 0;
  for await (const chunk of archiveStream(ws, period, nowUs)) {
    md5.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const result = { size, md5: md5.digest('hex'), records };
  ws.archiveCache.set(key, result);
  return result;
}

/**
 * Handles `GET archives.json` (spec §5.11); only run archives are published by the simulator.
 * @returns a page of archive records, newest first.
 */
export async function archiveList(req: ApiRequest): Promise<ApiResult> {
  const type = req.query.get('type');
  const period = req.query.get('period');
  if (type !== null && !['run', 'message'].includes(type)) throw badRequest('type must be one of run, message');
  const after = req.query.get('after');
  const before = req.query.get('before');
  const periods = type === 'message' ? [] : archivePeriods(req.ws, req.nowUs);
  const wanted = periods.filter(
    (p) => (period === null || p.period === period) && (after === null || isoDate(p.startUs) >= after.slice(0, 10)) && (before === null || isoDate(p.startUs) <= before.slice(0, 10)),
  );
  const rows = [];
  for (const p of wanted) rows.push({ p, d: await digest(req.ws, p, req.nowUs) });
  const origin = `${req.url.protocol}//${req.url.host}`;
  return pageOf(req, smallSource(rows, (row) => row.p.startUs, true), ({ p, d }) => ({
    type: 'run',
    start_date: isoDate(p.startUs),
    period: p.period,
    record_count: d.records,
    size: d.size,
    hash: d.md5,
    download_url: `${origin}/__sim/archives/${encodeURIComponent(req.ws.config.name)}/run/${p.period}/${isoDate(p.startUs)}.jsonl.gz?expires=${isoDate(req.nowUs + US_PER_DAY)}`,
  }));
}
