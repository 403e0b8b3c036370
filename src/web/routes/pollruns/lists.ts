import type { Request, Response } from 'express';
import { responseStatusCounts } from '../../../db/counterReads.js';
import { NotFoundError } from '../../../errors.js';
import type { Prisma } from '../../../generated/prisma/client.js';
import { paginate } from '../../../lib/pagination.js';
import { can } from '../../../policies/index.js';
import { displayName } from '../../../polls/flows.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam } from '../../forms.js';
import { responsesText } from './present.js';
import type { PollRunsIndexInput } from './schema.js';
import { contextRegionIds, orgRegionLinks, visibleRunsWhere } from './visibility.js';

/**
 * One page of the poll runs visible for the region context, newest first, each with its status
 * counts in the context's regions (spec §15.2) — one counter read for the page.
 */
async function listPage(req: Request, extra: Prisma.PollRunWhereInput) {
  const orgId = req.org!.id;
  const scoped = orgDb(orgId);
  const where = { AND: [visibleRunsWhere(req.regions!, await orgRegionLinks(orgId)), extra] };
  const total = await scoped.pollRun.count({ where });
  const pager = paginate((req.input as PollRunsIndexInput).page, total);
  const runs = await scoped.pollRun.findMany({ where, include: { poll: true }, orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }], skip: pager.skip, take: pager.take });
  const regionIds = [...new Set(runs.map((r) => r.regionId).filter((id) => id !== null))];
  const [counts, regions] = await Promise.all([
    responseStatusCounts(orgId, runs.map((r) => r.id), { regionIds: contextRegionIds(req.regions!), reporterGroupId: 0 }),
    scoped.region.findMany({ where: { id: { in: regionIds } }, select: { id: true, name: true } }),
  ]);
  const number = new Intl.NumberFormat(req.language);
  const rows = runs.map((run) => {
    const c = counts.get(run.id)!;
    return {
      id: run.id,
      conductedOn: run.conductedOn,
      pollId: run.pollId,
      pollName: displayName(run.poll),
      region: regions.find((r) => r.id === run.regionId)?.name ?? req.t('All'),
      counts: c,
      participants: c.E + c.P + c.C,
      responses: responsesText(c, (n) => number.format(n)),
    };
  });
  return { rows, pager: { ...pager, total } };
}

/** GET /pollruns: "All poll runs" of the region context (spec §17.8). */
export async function index(req: Request, res: Response) {
  const { rows, pager } = await listPage(req, {});
  res.render('pages/pollruns/index.njk', { rows, pager, poll: null, canFetchPast: can(req.actor!, 'org:manage') });
}

/** GET /polls/:id/pollruns: the poll runs of one tracked poll (spec §17.7). */
export async function ofPoll(req: Request, res: Response) {
  const poll = await orgDb(req.org!.id).poll.findFirst({ where: { id: idParam(req.params), isActive: true } });
  if (!poll) throw new NotFoundError();
  const { rows, pager } = await listPage(req, { pollId: poll.id });
  res.render('pages/pollruns/index.njk', { rows, pager, poll: { id: poll.id, name: displayName(poll) }, canFetchPast: false });
}
