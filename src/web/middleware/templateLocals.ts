import type { NextFunction, Request, Response } from 'express';
import { env } from '../../env.js';
import { presentPolicies } from '../../policies/index.js';
import { hostUrl } from '../../tenancy/hosts.js';

/**
 * The current path without the link's own region context (`region`, `sub`), so that a choice made
 * in the region picker is not overridden by the page it returns to.
 * @param url the request's original URL.
 * @returns the path and remaining query.
 */
function withoutRegionParams(url: string): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.delete('region');
  parsed.searchParams.delete('sub');
  return parsed.pathname + parsed.search;
}

/**
 * Gives every page what the layout needs: the user, the presented policies (templates never work
 * out roles), the base-host URL for the chooser and site management, and the current path.
 *
 *   app.use(templateLocals())   // after loadOrg and locale
 * @returns the middleware.
 */
export function templateLocals() {
  return (req: Request, res: Response, next: NextFunction) => {
    const config = env();
    res.locals.currentUser = req.user ?? null;
    res.locals.can = req.actor ? presentPolicies(req.actor) : {};
    res.locals.membership = req.membership ?? null;
    res.locals.baseUrl = hostUrl(config.publicScheme, config.BASE_HOST, null, '');
    res.locals.currentPath = req.originalUrl;
    res.locals.regionPickerNext = withoutRegionParams(req.originalUrl);
    res.locals.orgTimezone = req.org?.timezone ?? 'UTC';
    next();
  };
}
