import type { NextFunction, Request, Response } from 'express';
import { db } from '../../db/client.js';
import { env } from '../../env.js';
import { NotFoundError } from '../../errors.js';
import { parseHost } from '../../tenancy/hosts.js';

/**
 * Answers 404 on an unknown or inactive org subdomain, whatever the path.
 *
 *   app.use(refuseUnknownOrg())   // after templateLocals, before the routers
 * @returns the middleware.
 */
export function refuseUnknownOrg() {
  return (_req: Request, res: Response, next: NextFunction) => next(res.locals.unknownOrg ? new NotFoundError('Unknown organization') : undefined);
}

/**
 * The only code that turns a request into an org. Reads the subdomain under BASE_HOST, loads the
 * active org and the signed-in user's membership, and sets req.org, req.membership, req.actor and
 * res.locals.org. An unknown or inactive subdomain answers 404 (with a link to the org chooser)
 * for every path, so an org's existence never leaks.
 *
 *   app.use(loadOrg())   // after passport, before the routers
 * @returns the middleware.
 */
export function loadOrg() {
  return async (req: Request, res: Response, next: NextFunction) => {
    const target = parseHost(req.headers.host, env().baseHostname);
    if (target.kind === 'org') {
      const org = await db().org.findFirst({ where: { subdomain: target.subdomain, isActive: true } });
      // Answered by refuseUnknownOrg once the page locals exist, so the 404 renders in the layout.
      if (!org) res.locals.unknownOrg = true;
      else req.org = org;
      res.locals.org = org;
    }
    if (req.user) {
      req.membership = req.org
        ? await db().orgMembership.findFirst({ where: { orgId: req.org.id, userId: req.user.id, isActive: true } })
        : null;
      req.actor = {
        userId: req.user.id,
        isSuperuser: req.user.isSuperuser,
        orgId: req.org?.id ?? null,
        role: req.membership?.role ?? null,
      };
    }
    next();
  };
}
