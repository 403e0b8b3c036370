import type { Request, Response } from 'express';
import { createOrg, updateOrg } from '../../../commands/orgCreator.js';
import { db } from '../../../db/client.js';
import { env } from '../../../env.js';
import { NotFoundError } from '../../../errors.js';
import { timeZones } from '../../../lib/dates.js';
import { idParam, translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { ManageOrgCreateSchema, ManageOrgUpdateSchema } from './schema.js';
import { SUPPORTED_LANGUAGES } from '../../../i18n/index.js';
import { msg } from '../../../i18n/msg.js';
import { uploadedLogo } from '../../logoUpload.js';
import { readOrgSettings, withOrgSettings } from '../../../tenancy/orgSettings.js';

function formLocals(extra: Record<string, unknown>) {
  return { timeZones: timeZones(), supportedLanguages: SUPPORTED_LANGUAGES, baseHost: env().BASE_HOST, ...extra };
}

async function subdomainTaken(subdomain: string, exceptId?: number) {
  const existing = await db().org.findUnique({ where: { subdomain }, select: { id: true } });
  return Boolean(existing && existing.id !== exceptId);
}

/** GET /manage/orgs */
export async function index(_req: Request, res: Response) {
  const orgs = await db().org.findMany({ orderBy: { name: 'asc' }, include: { _count: { select: { memberships: true } } } });
  res.render('pages/manage/orgs/index.njk', { orgs });
}

/** GET /manage/orgs/new */
export function newForm(_req: Request, res: Response) {
  res.render('pages/manage/orgs/form.njk', formLocals({ values: { timezone: 'UTC', languages: ['en'], defaultLanguage: 'en', apiUrl: 'https://rapidpro.io' }, errors: {} }));
}

/** POST /manage/orgs */
export async function create(req: Request, res: Response) {
  const { data, errors } = parseForm(ManageOrgCreateSchema, req.body);
  const upload = uploadedLogo(req);
  const problems: Record<string, string> = { ...errors, ...(upload.error ? { logo: upload.error } : {}) };
  if (data && (await subdomainTaken(data.subdomain))) problems.subdomain = msg('This subdomain is taken.');
  if (!data || Object.keys(problems).length) {
    return res.render('pages/manage/orgs/form.njk', formLocals({ values: req.body, errors: translateErrors(problems, req.t) }));
  }
  const org = await createOrg({ ...data, logo: upload.logo });
  req.flash('success', req.t('Organization created.'));
  res.redirect(303, `/manage/orgs/${org.id}/edit`);
}

/** GET /manage/orgs/:id/edit */
export async function edit(req: Request, res: Response) {
  const org = await db().org.findUnique({ where: { id: idParam(req.params) } });
  if (!org) throw new NotFoundError();
  const { showSpoofData } = readOrgSettings(org.settings);
  res.render('pages/manage/orgs/form.njk', formLocals({ org, values: { ...org, apiToken: '', showSpoofData }, errors: {} }));
}

/** POST /manage/orgs/:id: an empty token field keeps the stored token. */
export async function update(req: Request, res: Response) {
  const org = await db().org.findUnique({ where: { id: idParam(req.params) } });
  if (!org) throw new NotFoundError();
  const { data, errors } = parseForm(ManageOrgUpdateSchema, req.body);
  const upload = uploadedLogo(req);
  const problems: Record<string, string> = { ...errors, ...(upload.error ? { logo: upload.error } : {}) };
  if (data && (await subdomainTaken(data.subdomain, org.id))) problems.subdomain = msg('This subdomain is taken.');
  if (!data || Object.keys(problems).length) {
    return res.render('pages/manage/orgs/form.njk', formLocals({ org, values: req.body, errors: translateErrors(problems, req.t) }));
  }
  const { showSpoofData, ...fields } = data;
  await updateOrg(org.id, { ...fields, apiToken: fields.apiToken || undefined, logo: upload.logo });
  await db().org.update({ where: { id: org.id }, data: { settings: withOrgSettings(org.settings, { showSpoofData }) as never } });
  req.flash('success', req.t('Organization saved.'));
  res.redirect(303, '/manage/orgs');
}

/** POST /manage/orgs/:id/deactivate: the org becomes unreachable and its jobs stop. */
export async function deactivate(req: Request, res: Response) {
  const { count } = await db().org.updateMany({ where: { id: idParam(req.params) }, data: { isActive: false } });
  if (!count) throw new NotFoundError();
  req.flash('success', req.t('Organization deactivated.'));
  res.redirect(303, '/manage/orgs');
}
