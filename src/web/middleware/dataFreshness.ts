import type { NextFunction, Request, Response } from 'express';
import { orgDb } from '../../tenancy/orgDb.js';

/** Chart JSON, CSV downloads and the API render no page: nothing shows the time. */
const isData = (path: string) => /\.(json|csv)$/.test(path) || path.startsWith('/api/');

/**
 * Puts "data as of" on every org page a member opens: the last time contacts were synced
 * (later issues add the runs sync; the oldest of them is shown).
 *
 *   app.use(dataFreshness())   // after regionContext
 * @returns the middleware.
 */
export function dataFreshness() {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.org || !req.regions || isData(req.path)) return next();
    const states = await orgDb(req.org.id).syncState.findMany({ where: { resource: { in: ['contacts'] } }, select: { lastSuccessAt: true } });
    const times = states.map((s) => s.lastSuccessAt?.getTime() ?? 0);
    res.locals.dataAsOf = times.length && Math.min(...times) > 0 ? new Date(Math.min(...times)) : null;
    next();
  };
}
