import type { Request, Response } from 'express';
import { updateOrg } from '../../../commands/orgCreator.js';
import { db } from '../../../db/client.js';
import { syncTask } from '../../../jobs/tasks/SyncTask.js';
import { RapidProClient, RapidProError } from '../../../rapidpro/client/index.js';
import { COUNTERS_CHECK } from '../../../jobs/tasks/CheckCountersTask.js';
import { presentSyncStatus } from '../../../presenters/syncStatus.js';
import { apiToken } from '../../../sync/rapidProFor.js';
import { SYNC_RESOURCE_NAMES } from '../../../sync/resources.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { OrgSyncSchema, OrgTokenSchema } from './schema.js';

/**
 * Asks RapidPro for the workspace with a token, quickly and without retries.
 * @returns the workspace name, or the problem in words a person can act on.
 */
async function testConnection(apiUrl: string, token: string): Promise<{ ok: true; name: string } | { ok: false; problem: string }> {
  const client = new RapidProClient({ baseUrl: apiUrl, token, timeoutMs: 8_000, retry: { maxAttempts: 1, maxThrottles: 0 }, budget: null });
  try {
    return { ok: true, name: (await client.workspace()).name };
  } catch (error) {
    return { ok: false, problem: error instanceof RapidProError ? error.message : String(error) };
  }
}

/** GET /org/connection */
export function edit(req: Request, res: Response) {
  res.render('pages/org/connection.njk', { values: { apiUrl: req.org!.apiUrl }, errors: {}, result: null });
}

/** POST /org/connection: saves a new token (action=save) or only tests it (action=test). */
export async function update(req: Request, res: Response) {
  const org = req.org!;
  const { data, errors } = parseForm(OrgTokenSchema, req.body);
  if (!data) return res.render('pages/org/connection.njk', { values: req.body, errors: translateErrors(errors, req.t), result: null });
  const result = await testConnection(data.apiUrl, data.apiToken);
  if (req.body.action === 'test') return res.render('pages/org/connection.njk', { values: { apiUrl: data.apiUrl }, errors: {}, result });
  await updateOrg(org.id, { apiUrl: data.apiUrl, apiToken: data.apiToken });
  if (!result.ok) await db().org.update({ where: { id: org.id }, data: { apiTokenError: result.problem.slice(0, 500) } });
  await db().syncState.updateMany({ where: { orgId: org.id }, data: { failures: 0, notBefore: null } });
  if (result.ok) for (const resource of SYNC_RESOURCE_NAMES) await syncTask.enqueue(org.id, resource, true);
  req.flash(result.ok ? 'success' : 'warning', result.ok ? req.t('Token saved; TracPro is connected to {{name}}.', { name: result.name }) : req.t('Token saved, but RapidPro refused it: {{problem}}', { problem: result.problem }));
  res.redirect(303, '/org');
}

/** GET /org/sync: each resource's last sync, next run, counts and errors. */
export async function status(req: Request, res: Response) {
  const states = await orgDb(req.org!.id).syncState.findMany();
  const countersCheck = states.find((s) => s.resource === COUNTERS_CHECK) ?? null;
  res.render('pages/org/sync.njk', { rows: presentSyncStatus(states), countersCheck, hasToken: Boolean(apiToken(req.org!)) });
}

/** POST /org/sync: queues one resource (or all) now, ignoring the backoff. */
export async function syncNow(req: Request, res: Response) {
  const parsed = OrgSyncSchema.safeParse(req.body);
  const resources = parsed.success && parsed.data.resource ? [parsed.data.resource] : SYNC_RESOURCE_NAMES;
  for (const resource of resources) await syncTask.enqueue(req.org!.id, resource, true);
  req.flash('info', req.t('Sync queued; this page shows its progress.'));
  res.redirect(303, '/org/sync');
}
