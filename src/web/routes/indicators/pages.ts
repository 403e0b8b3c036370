import type { Request, Response } from 'express';
import { NotFoundError } from '../../../errors.js';
import { loadIndicator, questionLabel, type LoadedIndicator } from '../../../indicators/definition.js';
import { paginate } from '../../../lib/pagination.js';
import { can } from '../../../policies/index.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';
import { idParam, translateErrors } from '../../forms.js';
import { parseForm } from '../../middleware/validate.js';
import { checkReferences, formChoices, indicatorColumns, submittedValues, valuesOf, type IndicatorFormValues } from './form.js';
import { IndicatorFormSchema } from './schema.js';

/**
 * Loads the indicator of `:id` in the request's org.
 * @param req the request.
 * @returns the indicator; 404 for an unknown id or another org's.
 */
export async function indicatorOf(req: Request): Promise<LoadedIndicator> {
  const indicator = await loadIndicator(req.org!.id, idParam(req.params));
  if (!indicator) throw new NotFoundError();
  return indicator;
}

/** GET /indicators: the org's indicators, latest term first (spec §17.11). */
export async function index(req: Request, res: Response) {
  const scoped = orgDb(req.org!.id);
  const total = await scoped.indicator.count();
  const { page, pages, skip, take } = paginate(Number(req.query.page ?? 1), total);
  const indicators = await scoped.indicator.findMany({
    orderBy: [{ startDate: 'desc' }, { endDate: 'desc' }, { id: 'desc' }], skip, take,
    include: { baselinePoll: true, baselineQuestion: true, followUpPoll: true, followUpQuestion: true },
  });
  const rows = indicators.map((i) => ({
    id: i.id, name: i.name, startDate: i.startDate, endDate: i.endDate,
    baseline: i.baselinePoll && i.baselineQuestion ? questionLabel(i.baselinePoll, i.baselineQuestion) : null,
    goal: i.goal?.toString() ?? null,
    followUp: questionLabel(i.followUpPoll, i.followUpQuestion),
  }));
  const manage = can(req.actor!, 'indicators:manage');
  res.render('pages/indicators/index.njk', {
    rows, page, pages, total,
    canManage: manage,
    showSpoofData: manage && readOrgSettings(req.org!.settings).showSpoofData,
  });
}

async function renderForm(req: Request, res: Response, values: IndicatorFormValues, errors: Record<string, string>, current?: LoadedIndicator) {
  const choices = await formChoices(req, values, current);
  res.render('pages/indicators/form.njk', { indicator: current ?? null, values, errors, ...choices });
}

const EMPTY: IndicatorFormValues = {
  name: '', startDate: '', endDate: '', baselinePoll: '', baselineQuestion: '', goal: '', followUpPoll: '', followUpQuestion: '', yAxisTitle: '',
};

/** GET /indicators/new */
export function newForm(req: Request, res: Response) {
  return renderForm(req, res, EMPTY, {});
}

/**
 * Validates the form (fields, then the org's polls and questions); re-renders it with the errors
 * (400) or hands back the columns to save.
 */
async function checkedColumns(req: Request, res: Response, current?: LoadedIndicator) {
  const { data, errors } = parseForm(IndicatorFormSchema, req.body);
  const problems = data ? await checkReferences(req.org!.id, data, current) : errors;
  if (!data || Object.keys(problems).length) {
    res.status(400);
    await renderForm(req, res, submittedValues(req.body), translateErrors(problems, req.t), current);
    return null;
  }
  return indicatorColumns(data);
}

/** POST /indicators/new: saves, then opens the indicator. */
export async function create(req: Request, res: Response) {
  const columns = await checkedColumns(req, res);
  if (!columns) return;
  const indicator = await orgDb(req.org!.id).indicator.create({ data: { ...columns, orgId: req.org!.id, createdById: req.user!.id } });
  req.flash('success', req.t('Indicator saved.'));
  res.redirect(303, `/indicators/${indicator.id}`);
}

/** GET /indicators/:id/edit */
export async function edit(req: Request, res: Response) {
  const indicator = await indicatorOf(req);
  return renderForm(req, res, valuesOf(indicator), {}, indicator);
}

/** POST /indicators/:id/edit */
export async function update(req: Request, res: Response) {
  const indicator = await indicatorOf(req);
  const columns = await checkedColumns(req, res, indicator);
  if (!columns) return;
  await orgDb(req.org!.id).indicator.updateMany({ where: { id: indicator.id }, data: columns });
  req.flash('success', req.t('Indicator saved.'));
  res.redirect(303, `/indicators/${indicator.id}`);
}

/** POST /indicators/:id/delete: a hard delete (spec §6.14). */
export async function destroy(req: Request, res: Response) {
  const { count } = await orgDb(req.org!.id).indicator.deleteMany({ where: { id: idParam(req.params) } });
  if (!count) throw new NotFoundError();
  req.flash('success', req.t('Indicator deleted.'));
  res.redirect(303, '/indicators');
}
