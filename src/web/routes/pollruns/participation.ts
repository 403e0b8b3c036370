import type { Request, Response } from 'express';
import { nonRespondentsWhere, UNFINISHED_START_STATUSES } from '../../../commands/pollRunStarter.js';
import { participationByGroup, participationByRegion, type StatusCounts } from '../../../db/participationReads.js';
import type { PollRun } from '../../../generated/prisma/client.js';
import { can } from '../../../policies/index.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { messageTabLocals } from '../messages/send.js';
import { readRunFilters } from './filters.js';
import { completionPercent, pollRunHeader, presentStart } from './present.js';
import type { PollRunParticipationInput } from './schema.js';
import { loadPollRunInContext } from './scope.js';

/** One row of the participation table. */
interface ParticipationRow {
  name: string;
  counts: StatusCounts;
  completion: number | null;
}

const row = (name: string, counts: StatusCounts): ParticipationRow => ({ name, counts, completion: completionPercent(counts) });
const hasResponses = (r: ParticipationRow) => r.counts.E + r.counts.P + r.counts.C > 0;

/**
 * The participation table (spec §15.1) from one counter read: rows per active reporter group (by
 * name) or per region of the context (tree order), rows without responses left out, and totals
 * over the distinct responses (the recommended totals: a contact in two groups counts once).
 * `groups` are the org's active reporter groups by name.
 */
async function participationTable(req: Request, run: PollRun, regionIds: number[], groupBy: 'group' | 'region', groups: { id: number; name: string }[]) {
  const orgId = req.org!.id;
  if (groupBy === 'region') {
    const regions = req.regions!.tree.filter((r) => regionIds.includes(r.id));
    const counts = await participationByRegion(orgId, run.id, regionIds);
    const rows = regions.map((r) => row(r.name, counts.get(r.id)!)).filter(hasResponses);
    const total = { E: 0, P: 0, C: 0 };
    for (const c of counts.values()) for (const status of ['E', 'P', 'C'] as const) total[status] += c[status];
    return { rows, total: row(req.t('Total'), total) };
  }
  const counts = await participationByGroup(orgId, run.id, regionIds, groups.map((g) => g.id));
  return { rows: groups.map((g) => row(g.name, counts.get(g.id)!)).filter(hasResponses), total: row(req.t('Total'), counts.get(0)!) };
}

/** The starts of the poll run with their progress, and the restart offer (§9.5), for users who may start polls. */
async function startsBlock(req: Request, run: PollRun, restartable: boolean, restartRegionIds: number[]) {
  const scoped = orgDb(req.org!.id);
  const starts = await scoped.pollRunStart.findMany({ where: { pollRunId: run.id }, orderBy: { createdAt: 'desc' } });
  const userIds = [...new Set(starts.map((s) => s.requestedById).filter((id): id is number => id !== null))];
  const [users, nonRespondents] = await Promise.all([
    scoped.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } }),
    restartable ? scoped.response.count({ where: nonRespondentsWhere(run.id, restartRegionIds) }) : 0,
  ]);
  const busy = starts.some((s) => UNFINISHED_START_STATUSES.includes(s.status));
  return {
    starts: starts.map((s) => presentStart(s, users.find((u) => u.id === s.requestedById)?.name ?? null, req.t)),
    restart: restartable ? { busy, count: nonRespondents, region: req.regions!.current?.name ?? null } : null,
    refresh: busy,
  };
}

/**
 * GET /pollruns/:id/participation: complete, partial and no response per reporter group or region
 * (spec §15.1), for every reader; the starts, their progress and the restart of non-respondents
 * for those who may start polls.
 */
export async function participation(req: Request, res: Response) {
  const { groupBy } = req.input as PollRunParticipationInput;
  const mayStart = can(req.actor!, 'polls:start');
  const [{ run, regionIds, restartable, restartRegionIds }, filters] = await Promise.all([
    loadPollRunInContext(req, { covering: true, restart: mayStart }),
    readRunFilters(req),
  ]);
  const [pollRun, table, starts, messages] = await Promise.all([
    pollRunHeader(req, run),
    participationTable(req, run, regionIds, groupBy, filters.groups),
    mayStart ? startsBlock(req, run, restartable, restartRegionIds) : null,
    messageTabLocals(req, run, regionIds),
  ]);
  res.render('pages/pollruns/participation.njk', { pollRun, groupBy, table, query: filters.query, startsBlock: starts, refresh: starts?.refresh ?? false, ...messages });
}
