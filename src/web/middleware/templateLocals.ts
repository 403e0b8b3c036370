import type { NextFunction, Request, Response } from 'express';
import { env } from '../../env.js';
import { presentPolicies } from '../../policies/index.js';
import { hostUrl } from '../../tenancy/hosts.js';

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
    res.locals.orgTimezone = req.org?.timezone ?? 'UTC';
    next();
  };
}
