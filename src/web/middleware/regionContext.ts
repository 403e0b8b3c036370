import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { loadRegionContext, type RegionChoice, type RegionContext } from '../../regions/context.js';

declare module 'express-session' {
  interface SessionData {
    /** Region picker choices, per org id (the session is shared by every org subdomain). */
    regionChoice?: Record<string, RegionChoice>;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The region context of a member in an org (spec §5). */
      regions?: RegionContext;
    }
  }
}

// A link may carry its region context (`?region=12&sub=0`, or `?region=all`), so that a filtered view
// opens the same for whoever it is shared with; it applies to that request only, within the
// reader's own regions, and leaves the picker's stored choice alone.
const RegionQuery = z.object({
  region: z.union([z.literal('all'), z.coerce.number().int().positive()]).optional().catch(undefined),
  sub: z.enum(['0', '1']).transform((v) => v === '1').optional().catch(undefined),
});

function choiceFromQuery(query: unknown): RegionChoice {
  const { region, sub } = RegionQuery.parse(query ?? {});
  return { ...(region !== undefined && { region }), ...(sub !== undefined && { includeSubregions: sub }) };
}

/**
 * Computes the region context for members inside an org and exposes the picker to the layout.
 *
 *   app.use(regionContext())   // after loadOrg and locale
 * @returns the middleware.
 */
export function regionContext() {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.org || !req.actor || (!req.actor.role && !req.actor.isSuperuser) || req.path.startsWith('/static/')) return next();
    const choice = { ...req.session.regionChoice?.[String(req.org.id)], ...choiceFromQuery(req.query) };
    req.regions = await loadRegionContext(req.org.id, req.actor, choice);
    res.locals.regions = req.regions;
    next();
  };
}

/**
 * Stores a region picker choice for the request's org.
 * @param req the request.
 * @param change the new choice.
 */
export function storeRegionChoice(req: Request, change: RegionChoice): void {
  const key = String(req.org!.id);
  req.session.regionChoice = { ...req.session.regionChoice, [key]: { ...req.session.regionChoice?.[key], ...change } };
}
