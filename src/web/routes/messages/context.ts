import type { Request } from 'express';

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
