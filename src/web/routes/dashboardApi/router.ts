import { Router, type Request, type Response } from 'express';
import { access } from '../../access.js';
import { presentActive, presentLatestRuns } from '../home/present.js';
import { activity, homeScope, latestRunsWidget, pollRunVisibility } from '../home/widgets.js';

const EMPTY = { count: 0, results: [] };

// The home page polls these every 5 seconds: never let a cache answer with older figures.
function sendFresh(res: Response, body: unknown) {
  res.setHeader('Cache-Control', 'no-store');
  res.json(body);
}

/** GET /api/pollruns/latest: the 5 most recent poll runs visible for the region context (spec §18.1). */
async function latestPollRuns(req: Request, res: Response) {
  const scope = homeScope(req);
  sendFresh(res, scope ? presentLatestRuns(await latestRunsWidget(scope, await pollRunVisibility(req))) : EMPTY);
}

/** GET /api/regions/most-active: regions with the most recent non-empty responses (spec §15.3, §18.2). */
async function mostActiveRegions(req: Request, res: Response) {
  const scope = homeScope(req);
  sendFresh(res, scope ? presentActive((await activity(scope)).regions) : EMPTY);
}

/** GET /api/groups/most-active: reporter groups with the most recent non-empty responses (spec §15.3, §18.2). */
async function mostActiveGroups(req: Request, res: Response) {
  const scope = homeScope(req);
  sendFresh(res, scope ? presentActive((await activity(scope)).reporterGroups) : EMPTY);
}

/**
 * The home page's JSON widgets, limited to the user's region context (spec §15.3 extension): a
 * user without regions gets empty lists.
 */
export const dashboardApiRouter = Router()
  .get('/api/pollruns/latest', access.member('polls:read'), latestPollRuns)
  .get('/api/regions/most-active', access.member('polls:read'), mostActiveRegions)
  .get('/api/groups/most-active', access.member('polls:read'), mostActiveGroups);
