import type { Request, Response } from 'express';
import { updateOrg } from '../../../commands/orgCreator.js';
import { db } from '../../../db/client.js';
import { SUPPORTED_LANGUAGES } from '../../../i18n/index.js';
import { timeZones } from '../../../lib/dates.js';
import { maskToken } from '../../../lib/secretBox.js';
import { presentSyncStatus } from '../../../presenters/syncStatus.js';
import { apiToken } from '../../../sync/rapidProFor.js';
import { refreshInBand } from '../../../sync/inBand.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { uploadedLogo } from '../../logoUpload.js';
import { OrgEditSchema } from './schema.js';

/** GET /org: the org's profile, its RapidPro connection, the last syncs and the setup guide. */
export async function show(req: Request, res: Response) {
  const org = req.org!;
  const token = apiToken(org);
  const [states, regions, groups, fields] = await Promise.all([
    orgDb(org.id).syncState.findMany(),
    orgDb(org.id).region.count({ where: { isActive: true } }),
    orgDb(org.id).reporterGroup.count({ where: { isActive: true } }),
    orgDb(org.id).dataField.count(),
  ]);
  res.render('pages/org/show.njk', {
    maskedToken: token ? maskToken(token) : null,
    syncRows: presentSyncStatus(states),
    setup: { regions, groups, fields },
  });
}

function editLocals(fields: { key: string; label: string; visible: boolean; filterable: boolean }[], extra: Record<string, unknown>) {
  return { timeZones: timeZones(), supportedLanguages: SUPPORTED_LANGUAGES, fields, ...extra };
}

/** GET /org/edit: refreshes the field list first (best effort; a bad token must not block this page). */
export async function edit(req: Request, res: Response) {
  const org = req.org!;
  if (org.apiTokenEncrypted && !org.apiTokenError) await refreshInBand(org.id, 'fields', 3_000);
  const fields = await orgDb(org.id).dataField.findMany({ orderBy: { label: 'asc' } });
  const values = {
    ...org,
    visibleFields: fields.filter((f) => f.visible).map((f) => f.key),
    filterableFields: fields.filter((f) => f.filterable).map((f) => f.key),
  };
  res.render('pages/org/edit.njk', editLocals(fields, { values, errors: {} }));
}

/** POST /org/edit */
export async function update(req: Request, res: Response) {
  const org = req.org!;
  const fields = await orgDb(org.id).dataField.findMany({ orderBy: { label: 'asc' } });
  const { data, errors } = parseForm(OrgEditSchema, req.body);
  const upload = uploadedLogo(req);
  if (!data || upload.error) {
    const problems = { ...errors, ...(upload.error ? { logo: upload.error } : {}) };
    return res.render('pages/org/edit.njk', editLocals(fields, { values: req.body, errors: translateErrors(problems, req.t) }));
  }
  await updateOrg(org.id, { name: data.name, timezone: data.timezone, languages: data.languages, defaultLanguage: data.defaultLanguage, logo: upload.logo });
  await db().$transaction([
    orgDb(org.id).dataField.updateMany({ data: { visible: false, filterable: false } }),
    orgDb(org.id).dataField.updateMany({ where: { key: { in: data.visibleFields } }, data: { visible: true } }),
    orgDb(org.id).dataField.updateMany({ where: { key: { in: data.filterableFields } }, data: { filterable: true } }),
  ]);
  req.flash('success', req.t('Organization saved.'));
  res.redirect(303, '/org');
}
