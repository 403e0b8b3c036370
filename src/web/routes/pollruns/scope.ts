import type { Request } from 'express';
import { NotFoundError } from '../../../errors.js';
import { canRestart, coversRegion, visibleForRegion } from '../../../pollruns/startRules.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam } from '../../forms.js';
import { contextRegionIds, orgRegionLinks } from './visibility.js';

/**
 * Loads the poll run of `:id` (or of `options.id`) as the user's region context sees it: 404 unless it is a poll run of
 * a tracked poll of the org that is visible for the current region (spec §4.3, §12.1), and — for
 * pages that read its responses — unless it covers the current region (§12.2: a 404, never an
 * error). A user limited to regions but with none sees no poll run at all.
 * @param req the request.
 * @param options covering: also require coversRegion (participation, responses, CSV);
 *   restart: work out whether the poll run may be restarted from here (one more query);
 *   id: the poll run, when a form names it rather than the path.
 * @returns the poll run with its poll, whether it may be restarted from here (§12.3; false unless
 *   asked), the regions a restart reaches (the user's data regions, §5.1), the org's region tree,
 *   and the regions whose responses the page reads (§12.4).
 */
export async function loadPollRunInContext(req: Request, options: { covering?: boolean; restart?: boolean; id?: number } = {}) {
  const id = options.id ?? idParam(req.params);
  const context = req.regions!;
  const scoped = orgDb(req.org!.id);
  const run = await scoped.pollRun.findFirst({ where: { id, poll: { isActive: true } }, include: { poll: true } });
  if (!run || (context.userRegionIds && !context.current)) throw new NotFoundError();
  const links = await orgRegionLinks(req.org!.id);
  const region = context.current?.id ?? null;
  if (!visibleForRegion(run, region, context.includeSubregions, links)) throw new NotFoundError();
  if (options.covering && !coversRegion(run, region, context.includeSubregions, links)) throw new NotFoundError();
  const newer = options.restart
    ? await scoped.pollRun.findMany({ where: { pollId: run.pollId, conductedOn: { gt: run.conductedOn } }, select: { id: true, type: true, regionId: true, conductedOn: true } })
    : null;
  const regionIds = contextRegionIds(context);
  return { run, links, regionIds, restartable: newer !== null && canRestart(run, newer, region, links), restartRegionIds: regionIds };
}
