import type { Request } from 'express';
import { NotFoundError } from '../../../errors.js';
import type { Poll, PollRun } from '../../../generated/prisma/client.js';
import { coversRegion, visibleForRegion } from '../../../pollruns/startRules.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { orgRegionLinks } from '../pollruns/visibility.js';

/**
 * The data regions of the request's region context (spec §5.1) as a list; null for every region.
 * @param req the request.
 * @returns region ids, or null.
 */
export function dataRegionList(req: Request): number[] | null {
  const ids = req.regions!.dataRegionIds;
  return ids ? [...ids] : null;
}

/**
 * The region context a link carried (`?region=&sub=`), to carry on to the next request: a form's
 * action, a redirect, a chart's data URL. Empty when the page used the picker's stored choice.
 * @param req the request.
 * @returns e.g. "region=12&sub=0", or "".
 */
export function regionQuery(req: Request): string {
  const query = req.query as Record<string, unknown>;
  const params = new URLSearchParams();
  if (typeof query.region === 'string' && /^(all|\d+)$/.test(query.region)) params.set('region', query.region);
  if (query.sub === '0' || query.sub === '1') params.set('sub', query.sub);
  return params.toString();
}

/**
 * Loads a poll run of a tracked poll of the org whose responses the request's region context may
 * read: listed there (§12.1) and covering it (§12.2); 404 otherwise (spec §16.1 step 1).
 * @param req the request.
 * @param pollRunId the poll run.
 * @returns the poll run with its poll.
 */
export async function loadCoveredPollRun(req: Request, pollRunId: number): Promise<PollRun & { poll: Poll }> {
  const context = req.regions!;
  const run = await orgDb(req.org!.id).pollRun.findFirst({ where: { id: pollRunId, poll: { isActive: true } }, include: { poll: true } });
  if (!run || (context.userRegionIds && !context.current)) throw new NotFoundError();
  const links = await orgRegionLinks(req.org!.id);
  const region = context.current?.id ?? null;
  if (!visibleForRegion(run, region, context.includeSubregions, links) || !coversRegion(run, region, context.includeSubregions, links)) throw new NotFoundError();
  return run;
}
