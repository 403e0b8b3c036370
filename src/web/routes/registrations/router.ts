import { Router, type Request, type Response } from 'express';
import { presentPolicies, can } from '../../../policies/index.js';
import { isTimeZone } from '../../../lib/dates.js';
import { loadConfig, saveConfig, type RegistrationConfig } from '../../../registrations/config.js';
import { dashboardData, registrationsCsv, type DashboardFilters } from '../../../registrations/dashboard.js';
import { startReconcile, startRecompute } from '../../../registrations/metrics/reads.js';
import { readSeries } from '../../../registrations/metrics/series.js';
import { parseMetricName } from '../../../registrations/metrics/names.js';
import { msg } from '../../../i18n/msg.js';
import { access } from '../../access.js';
import { translateErrors } from '../../forms.js';
import { parseForm, validate } from '../../middleware/validate.js';
import { RegistrationsChartSchema, RegistrationsDashboardSchema, RegistrationsRecomputeSchema, RegistrationsSettingsSchema } from './schema.js';

const DAY_MS = 86_400_000;

function filtersOf(input: { from?: string; to?: string; source: string[] }): DashboardFilters & { fromDay: string; toDay: string } {
  const to = input.to ? new Date(`${input.to}T23:59:59.999Z`) : new Date();
  const from = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date(to.getTime() - 30 * DAY_MS);
  const [a, b] = from <= to ? [from, to] : [to, from];
  return { from: a, to: b, sources: input.source, fromDay: a.toISOString().slice(0, 10), toDay: b.toISOString().slice(0, 10) };
}

function query(f: { fromDay: string; toDay: string; sources: string[] }, interval: string): string {
  const params = new URLSearchParams({ from: f.fromDay, to: f.toDay, interval });
  for (const s of f.sources) params.append('source', s);
  return params.toString();
}

/** GET /registrations: the dashboard (spec §9). */
async function index(req: Request, res: Response) {
  const input = req.input as { from?: string; to?: string; interval: string; source: string[] };
  const filters = filtersOf(input);
  const data = await dashboardData(req.org!.id, filters);
  res.render('pages/registrations/index.njk', {
    ...data, filters, interval: input.interval, query: query(filters, input.interval),
    isAdmin: can(req.actor!, 'registrations:manage'), policies: presentPolicies(req.actor!),
  });
}

/** GET /registrations/charts/created.json: registrations per bucket and the running total. */
async function createdChart(req: Request, res: Response) {
  const input = req.input as { from?: string; to?: string; interval: '1h' | '1d' | '1w' | '1mo'; source: string[] };
  const filters = filtersOf(input);
  const { timezone } = await loadConfig(req.org!.id);
  const names = ['registrations.created.sum', 'registrations.created.total.last'];
  const [sum, total] = await readSeries(req.org!.id, names.map((n) => parseMetricName(n)!), { from: filters.from, to: filters.to, interval: input.interval, timeZone: timezone });
  const labels = sum!.points.map(([at]) => at.slice(0, input.interval === '1h' ? 16 : 10));
  res.json({
    labels,
    datasets: [
      { label: req.t('Registrations'), type: 'bar', data: sum!.points.map(([, v]) => v) },
      { label: req.t('Running total'), type: 'line', data: total!.points.map(([, v]) => v), yAxisID: 'y1' },
    ],
    table: { columns: [req.t('Period'), req.t('Registrations'), req.t('Running total')], rows: labels.map((l, i) => [l, sum!.points[i]![1], total!.points[i]![1]]) },
  });
}

/** GET /registrations/export.csv: the registrations of the period, streamed. */
async function exportCsv(req: Request, res: Response) {
  const filters = filtersOf(req.input as { from?: string; to?: string; source: string[] });
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
  const range = data.mode === 'range'
    ? { from: data.from ? `${data.from}T00:00:00Z` : new Date(Date.now() - 30 * DAY_MS).toISOString(), to: data.to ? `${data.to}T23:59:59Z` : new Date().toISOString(), interval: data.interval }
    : { retentions: data.retentions || undefined };
  const result = await startRecompute(req.org!.id, { names: 'all', forward: data.forward, ...range });
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
  };
}

async function editSettings(req: Request, res: Response) {
  const config = await loadConfig(req.org!.id);
  res.render('pages/registrations/settings.njk', { values: settingsValues(config), errors: {}, adapters: config.adapters });
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
  if (!data || Object.keys(fieldErrors).length) {
    return res.render('pages/registrations/settings.njk', { values: req.body, errors: translateErrors(fieldErrors, req.t), adapters: config.adapters });
  }
  const { prebirthMin, prebirthMax, postbirthMin, postbirthMax, ...rest } = data;
  await saveConfig(req.org!.id, { ...config, ...rest, prebirthWeeks: { min: prebirthMin, max: prebirthMax }, postbirthWeeks: { min: postbirthMin, max: postbirthMax } });
  req.flash('success', req.t('Saved.'));
  res.redirect(303, '/registrations/settings');
}

/** The Registrations pages (spec §9): admins, supervisors and viewers read; admins act. */
export const registrationsRouter = Router()
  .get('/registrations', access.member('registrations:read'), validate(RegistrationsDashboardSchema, 'query'), index)
  .get('/registrations/charts/created.json', access.member('registrations:read'), validate(RegistrationsChartSchema, 'query'), createdChart)
  .get('/registrations/export.csv', access.member('registrations:read'), validate(RegistrationsDashboardSchema, 'query'), exportCsv)
  .post('/registrations/recompute', access.member('registrations:manage'), recompute)
  .post('/registrations/reconcile', access.member('registrations:manage'), reconcile)
  .get('/registrations/settings', access.member('registrations:manage'), editSettings)
  .post('/registrations/settings', access.member('registrations:manage'), updateSettings);
