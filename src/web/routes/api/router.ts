import { Router, type NextFunction, type Request, type Response } from 'express';
import { loadOrg } from '../../middleware/loadOrg.js';
import { changesApiRouter } from './changes.js';
import { apiErrors } from './errors.js';
import { metricsApiRouter } from './metrics.js';
import { registrationsApiRouter } from './registrations.js';
import { sourcesApiRouter } from './sources.js';

/** How long the token API reuses an org found by subdomain (a deactivation shows after at most this). */
const ORG_CACHE_MS = 5_000;

/** The JSON API v1 on org hosts (spec §4): token- or session-authenticated, errors as JSON envelopes. */
export const apiV1Router = Router()
  .use(registrationsApiRouter, changesApiRouter, metricsApiRouter, sourcesApiRouter)
  .use('/api/v1', apiErrors());

// An unknown org is left to the page chain, which answers its 404 as before.
const tokenApi = Router().use(loadOrg({ cacheMs: ORG_CACHE_MS }), (req: Request, _res: Response, next: NextFunction) => next(req.org ? undefined : 'router'), apiV1Router);

/**
 * The API for calls that carry a source token, mounted ahead of the page middleware: a token
 * decides the caller by itself (apiAccess never looks at the session when one is sent), so these
 * calls need no session, passport, flash, CSRF, locale or template locals. Other calls, and token
 * calls no route answers, go on to the page chain (and apiV1Router mounted there).
 *
 *   app.use(express.json()); app.use(tokenApiRouter)   // after body parsing, before sessions
 */
export const tokenApiRouter = Router().use((req: Request, res: Response, next: NextFunction) => {
  const tokenCall = req.path.startsWith('/api/v1/') && /^(?:Token|Bearer)\s+\S+$/i.test(req.headers.authorization ?? '');
  if (!tokenCall) return next();
  tokenApi(req, res, next);
});
