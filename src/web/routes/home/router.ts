import { Router, type Request, type Response } from 'express';
import { db } from '../../../db/client.js';
import { env } from '../../../env.js';
import { hostUrl } from '../../../tenancy/hosts.js';
import { presentCounts } from '../../../presenters/chart.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { access } from '../../access.js';
import { startFormLocals, type StartFormLocals } from '../pollruns/startForm.js';
import { can } from '../../../policies/index.js';
import { featuredIndicatorLocals } from '../indicators/featured.js';
import { ACTIVITY_DAYS } from '../../../db/activity.js';
import { presentPollWidgets } from './present.js';
import { activity, homeScope, pollRunVisibility, pollWidgets } from './widgets.js';

/** GET / on the base host: the orgs this user can open (every org for superusers). */
async function chooser(req: Request, res: Response) {
  const user = req.user!;
  const orgs = await db().org.findMany({
    where: user.isSuperuser ? {} : { isActive: true, memberships: { some: { userId: user.id, isActive: true } } },
    orderBy: { name: 'asc' },
    select: { id: true, name: true, subdomain: true, isActive: true },
  });
  const config = env();
  const links = orgs.map((org) => ({ ...org, url: hostUrl(config.publicScheme, config.BASE_HOST, org.subdomain) }));
  res.render('pages/home/chooser.njk', { orgs: links });
}

/** GET /choose-site: the original's address for the chooser. */
function chooseSite(_req: Request, res: Response) {
  res.redirect(301, '/');
}

/**
 * Renders an org's home page (spec §17.2), limited to the user's region context: tracked polls with
 * their latest poll run, the most recent poll runs, "Start a poll", and the most active regions and
 * reporter groups; a user without regions gets a notice instead. The "Start a poll" form shows the
 * submitted values and errors when POST /pollruns refused them.
 * @param req the request.
 * @param res the response (its status already set for a refused form).
 * @param submitted the refused form's values and errors.
 */
export async function renderHome(req: Request, res: Response, submitted?: Pick<StartFormLocals, 'values' | 'errors'>) {
  const scope = homeScope(req);
  if (!scope) return res.render('pages/home/index.njk', { noRegions: true });
  const [startForm, widgets, active, featuredIndicator] = await Promise.all([
    startFormLocals(req, submitted), pollRunVisibility(req).then((visibility) => pollWidgets(scope, visibility)), activity(scope),
    can(req.actor!, 'indicators:read') ? featuredIndicatorLocals(req) : null,
  ]);
  res.render('pages/home/index.njk', { startForm, ...presentPollWidgets(widgets), activeRegions: active.regions, activeGroups: active.reporterGroups, activityDays: ACTIVITY_DAYS, featuredIndicator });
}

/** GET / on an org host: the org's home page. */
function home(req: Request, res: Response) {
  return renderHome(req, res);
}

const ROLE_LABELS = { admin: 'Administrator', supervisor: 'Supervisor', viewer: 'Viewer' } as const;

/** GET /api/home/members-by-role: the org's active members per role, for the home chart. */
async function membersByRole(req: Request, res: Response) {
  const groups = await orgDb(req.org!.id).orgMembership.groupBy({ by: ['role'], where: { isActive: true }, _count: { _all: true } });
  const counts = new Map(groups.map((g) => [g.role, g._count._all]));
  const entries = (Object.keys(ROLE_LABELS) as (keyof typeof ROLE_LABELS)[]).map((role) => [req.t(ROLE_LABELS[role]), counts.get(role) ?? 0] as [string, number]);
  res.json(presentCounts(entries, [req.t('Role'), req.t('People')]));
}

/** The base host's landing pages. */
export const chooserRouter = Router()
  .get('/', access.signedIn, chooser)
  .get('/choose-site', access.public, chooseSite);

/** The org's home page. */
export const homeRouter = Router()
  .get('/', access.member('home:read'), home)
  .get('/api/home/members-by-role', access.member('home:read'), membersByRole);
