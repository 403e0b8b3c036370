import type { NextFunction, Request, Response } from 'express';
import { db } from '../../db/client.js';
import { env } from '../../env.js';
import type { Org } from '../../generated/prisma/client.js';
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

const findOrg = (subdomain: string) => db().org.findFirst({ where: { subdomain, isActive: true } });

// Only found orgs are cached, so an org created a moment ago is never refused.
const orgCache = new Map<string, { org: Org; until: number }>();
const ORG_CACHE_MAX = 1000;

async function cachedOrg(subdomain: string, cacheMs: number): Promise<Org | null> {
  const hit = orgCache.get(subdomain);
  if (hit && hit.until > Date.now()) return hit.org;
  const org = await findOrg(subdomain);
  if (orgCache.size >= ORG_CACHE_MAX) orgCache.clear();
  if (org) orgCache.set(subdomain, { org, until: Date.now() + cacheMs });
  else orgCache.delete(subdomain);
  return org;
}

/**
 * The only code that turns a request into an org. Reads the subdomain under BASE_HOST, loads the
 * active org and the signed-in user's membership, and sets req.org, req.membership, req.actor and
 * res.locals.org. An unknown or inactive subdomain answers 404 (with a link to the org chooser)
 * for every path, so an org's existence never leaks.
 *
 *   app.use(loadOrg())   // after passport, before the routers
 *   loadOrg({ cacheMs: 5000 })   // token API: an org found is reused for 5 s in this process
 * @param options cacheMs: reuse a found org this long (a deactivation or rename shows after at most that).
 * @returns the middleware.
 */
export function loadOrg(options: { cacheMs?: number } = {}) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const target = parseHost(req.headers.host, env().baseHostname);
    if (target.kind === 'org') {
      const org = options.cacheMs ? await cachedOrg(target.subdomain, options.cacheMs) : await findOrg(target.subdomain);
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
