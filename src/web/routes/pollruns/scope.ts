import type { Request } from 'express';
import { NotFoundError } from '../../../errors.js';
import { canRestart, regionLinks, visibleForRegion } from '../../../pollruns/startRules.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam } from '../../forms.js';

/**
 * Loads the poll run of `:id` as the user's region context sees it: 404 unless it is a poll run of
 * a tracked poll of the org that is visible for the current region (spec §4.3, §12.1). A user
 * limited to regions but with none sees no poll run at all.
 * @param req the request.
 * @returns the poll run with its poll, whether it may be restarted from here (§12.3), and the
 *   regions a restart reaches (the user's data regions, §5.1).
 */
export async function loadPollRunInContext(req: Request) {
  const id = idParam(req.params);
  const context = req.regions!;
  const scoped = orgDb(req.org!.id);
  const run = await scoped.pollRun.findFirst({ where: { id, poll: { isActive: true } }, include: { poll: true } });
  if (!run || (context.userRegionIds && !context.current)) throw new NotFoundError();
  const links = regionLinks(await scoped.region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } }));
  const region = context.current?.id ?? null;
  if (!visibleForRegion(run, region, context.includeSubregions, links)) throw new NotFoundError();
  const newer = await scoped.pollRun.findMany({
    where: { pollId: run.pollId, conductedOn: { gt: run.conductedOn } },
    select: { id: true, type: true, regionId: true, conductedOn: true },
  });
  return {
    run,
    restartable: canRestart(run, newer, region, links),
    restartRegionIds: [...(context.dataRegionIds ?? context.tree.map((r) => r.id))],
  };
}
