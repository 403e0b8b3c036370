import { Router, type Request, type Response } from 'express';
import { presentPolicies, can } from '../../../policies/index.js';
import { isTimeZone } from '../../../lib/dates.js';
import { loadConfig, saveConfig, type RegistrationConfig } from '../../../registrations/config.js';
import { dashboardData, EXPORT_MAX_ROWS, exportTooLarge, registrationsCsv } from '../../../registrations/dashboard.js';
import { catalogueFor, startReconcile, startRecompute } from '../../../registrations/metrics/reads.js';
import { msg } from '../../../i18n/msg.js';
import { access } from '../../access.js';
import { translateErrors } from '../../forms.js';
import { parseForm, validate } from '../../middleware/validate.js';
import { adapterFormErrors, adapterFormValues, adaptersFromForm, SERVICES, submittedWithoutSecrets } from './adapterSettings.js';
import { changeKinds, registrationChartsRouter } from './charts.js';
import { filterQuery, filtersOf, type FilterInput } from './filters.js';
import { RegistrationsDashboardSchema, RegistrationsRecomputeSchema, RegistrationsSettingsSchema } from './schema.js';

/** GET /registrations: the dashboard (spec §9). */
async function index(req: Request, res: Response) {
  const input = req.input as FilterInput & { interval: string; refresh: boolean };
  const filters = await filtersOf(req.org!.id, input);
  const data = await dashboardData(req.org!.id, filters);
  const optoutPanels = [
    { family: 'reason', title: req.t('Opt-outs by reason') }, { family: 'source', title: req.t('Opt-outs by source') },
    { family: 'receiver_type', title: req.t('Opt-outs by receiver') }, { family: 'msg_type', title: req.t('Opt-outs by message type') },
  ].map((p) => ({ ...p, rows: data.optoutTotals[p.family] ?? [] }));
  if (data.otherSourceOptouts !== null) optoutPanels.find((p) => p.family === 'source')!.rows.push({ label: req.t('Other sources'), count: data.otherSourceOptouts });
  const changes = changeKinds(req.t).map(({ kind, label }) => ({ label, count: data.changeTotals[kind] ?? 0 }));
  res.render('pages/registrations/index.njk', {
    ...data, changes, optoutPanels, filters, interval: input.interval, query: filterQuery(filters, input.interval), refresh: input.refresh, asOf: new Date(),
    isAdmin: can(req.actor!, 'registrations:manage'), policies: presentPolicies(req.actor!),
  });
}

/** GET /registrations/export.csv: the registrations of the period, streamed. */
async function exportCsv(req: Request, res: Response) {
  const input = req.input as FilterInput & { interval: string; refresh: boolean };
  const filters = await filtersOf(req.org!.id, input);
  if (await exportTooLarge(req.org!.id, filters)) {
    req.flash('danger', req.t('More than {{count}} registrations in this period: choose shorter dates to export them.', { count: EXPORT_MAX_ROWS }));
    return res.redirect(303, `/registrations?${filterQuery(filters, input.interval)}`);
  }
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="registrations-${filters.fromDay}-${filters.toDay}.csv"`);
  for await (const line of registrationsCsv(req.org!.id, filters)) {
    if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

async function recompute(req: Request, res: Response) {
  const { data } = parseForm(RegistrationsRecomputeSchema, req.body);
  if (!data) {
    req.flash('danger', req.t('Check the recompute settings.'));
    return res.redirect(303, '/registrations');
  }
  const period = await filtersOf(req.org!.id, { from: data.from || undefined, to: data.to || undefined, source: [] });
  const range = data.mode === 'range'
    ? { from: period.from.toISOString(), to: period.to.toISOString(), interval: data.interval }
    : { retentions: data.retentions || undefined };
  // Every metric chosen (the default) is recorded as "all".
  const catalogue = (await catalogueFor(req.org!.id)).map((e) => e.name);
  const names = !data.names.length || catalogue.every((n) => data.names.includes(n)) ? 'all' : data.names;
  const result = await startRecompute(req.org!.id, { names, forward: data.forward, ...range });
  if ('error' in result) req.flash('danger', req.t('The recompute could not start: {{reason}}', { reason: result.message }));
  else req.flash(result.warning ? 'warning' : 'success', result.warning
    ? req.t('Recompute started: {{count}} evaluations. This is a large plan and will take a while.', { count: result.evaluations })
    : req.t('Recompute started: {{count}} evaluations.', { count: result.evaluations }));
  res.redirect(303, '/registrations');
}

async function reconcile(req: Request, res: Response) {
  await startReconcile(req.org!.id);
  req.flash('success', req.t('Reconciliation started.'));
  res.redirect(303, '/registrations');
}

function settingsValues(config: RegistrationConfig) {
  const lists = ['msgTypes', 'receiverTypes', 'languages', 'states', 'roles', 'optoutReasons', 'optoutSources', 'lossReasons', 'householdOnlyReceivers'] as const;
  return {
    ...Object.fromEntries(lists.map((k) => [k, config[k].join(', ')])),
    prebirthMin: config.prebirthWeeks.min, prebirthMax: config.prebirthWeeks.max, postbirthMin: config.postbirthWeeks.min, postbirthMax: config.postbirthWeeks.max,
    timezone: config.timezone, welcomeText: config.welcomeText, publicAssetBaseUrl: config.publicAssetBaseUrl, metricPrefix: config.metricPrefix,
    ...adapterFormValues(config.adapters),
  };
}

/** The settings page's choices of service implementation, in the reader's language. */
function serviceChoices(req: Request) {
  const labels = { identityStore: req.t('Identity store'), messaging: req.t('Messaging service'), sender: req.t('Message sender') };
  return {
    services: SERVICES.map((name) => ({ name, label: labels[name] })),
    kinds: [{ value: 'local', label: req.t('Local (in this application)') }, { value: 'http', label: req.t('HTTP service') }],
  };
}

async function editSettings(req: Request, res: Response) {
  const config = await loadConfig(req.org!.id);
  res.render('pages/registrations/settings.njk', { values: settingsValues(config), errors: {}, ...serviceChoices(req) });
}

async function updateSettings(req: Request, res: Response) {
  const config = await loadConfig(req.org!.id);
  const { data, errors } = parseForm(RegistrationsSettingsSchema, req.body);
  // A bad list item reports as "languages.0"; the form shows it on the list's field.
  const fieldErrors: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors ?? {})) fieldErrors[key.split('.')[0]!] ??= message;
  if (data && !isTimeZone(data.timezone)) fieldErrors.timezone = msg('Choose a time zone.');
  if (data && data.prebirthMin > data.prebirthMax) fieldErrors.prebirthMax = msg('The maximum must not be below the minimum.');
  if (data && data.postbirthMin > data.postbirthMax) fieldErrors.postbirthMax = msg('The maximum must not be below the minimum.');
  if (data) Object.assign(fieldErrors, adapterFormErrors(data));
  if (!data || Object.keys(fieldErrors).length) {
    // Secrets are never sent back; whether one is stored still shows.
    const secretsStored = Object.fromEntries(Object.entries(adapterFormValues(config.adapters)).filter(([key]) => key.endsWith('Set')));
    const values = { ...submittedWithoutSecrets(req.body as Record<string, unknown>), ...secretsStored };
    return res.status(400).render('pages/registrations/settings.njk', { values, errors: translateErrors(fieldErrors, req.t), ...serviceChoices(req) });
  }
  const { prebirthMin, prebirthMax, postbirthMin, postbirthMax, ...rest } = data;
  // saveConfig keeps the configuration's keys only (the form's adapter fields become `adapters`).
  await saveConfig(req.org!.id, {
    ...config, ...rest, prebirthWeeks: { min: prebirthMin, max: prebirthMax }, postbirthWeeks: { min: postbirthMin, max: postbirthMax },
    adapters: adaptersFromForm(data, config.adapters),
  });
  req.flash('success', req.t('Saved.'));
  res.redirect(303, '/registrations/settings');
}

/** The Registrations pages (spec §9): admins, supervisors and viewers read; admins act. */
export const registrationsRouter = Router()
  .use(registrationChartsRouter)
  .get('/registrations', access.member('registrations:read'), validate(RegistrationsDashboardSchema, 'query'), index)
  .get('/registrations/export.csv', access.member('registrations:read'), validate(RegistrationsDashboardSchema, 'query'), exportCsv)
  .post('/registrations/recompute', access.member('registrations:manage'), recompute)
  .post('/registrations/reconcile', access.member('registrations:manage'), reconcile)
  .get('/registrations/settings', access.member('registrations:manage'), editSettings)
  .post('/registrations/settings', access.member('registrations:manage'), updateSettings);
