import type { Request, Response } from 'express';
import type { ChartPollRun } from '../../../charts/table.js';
import { localDay } from '../../../dashboard/dateRange.js';
import { filterInstants, filterQuery, parseChartFilters, withQuery, type ChartFilters } from '../../../dashboard/filters.js';
import { chartSelection, hasMapKind, overTimeChart, questionMap, type ChartQuestion } from '../../../dashboard/pollCharts.js';
import type { Summary } from '../../../charts/statistics.js';
import type { ChartSelection } from '../../../db/chartReads.js';
import { NotFoundError, ValidationError } from '../../../errors.js';
import { msg } from '../../../i18n/msg.js';
import { displayName } from '../../../polls/flows.js';
import { orderQuestions } from '../../../polls/present.js';
import type { StoredRule } from '../../../polls/rules.js';
import { regionLinks, visibleForRegion } from '../../../pollruns/startRules.js';
import { fieldDisplayName } from '../../../presenters/contact.js';
import { can } from '../../../policies/index.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';
import { idParam, translateErrors } from '../../forms.js';

/**
 * The poll page's charts (spec §13.2–13.7): which poll runs and responses they read, and the chart
 * and map JSON each question's figure fetches, behind the page's own guard.
 */

/** The poll, its shown questions and the parsed filters of a poll page or chart request. */
export async function loadPollCharts(req: Request) {
  const orgId = req.org!.id;
  const scoped = orgDb(orgId);
  const [poll, fields, groups] = await Promise.all([
    scoped.poll.findFirst({ where: { id: idParam(req.params), isActive: true }, include: { questions: true } }),
    scoped.dataField.findMany({ where: { visible: true }, orderBy: [{ label: 'asc' }, { key: 'asc' }], select: { key: true, label: true } }),
    scoped.reporterGroup.findMany({ where: { isActive: true }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
  ]);
  if (!poll) throw new NotFoundError();
  const questions = orderQuestions(poll.questions.filter((q) => q.isActive && !q.isMissingInRapidPro)).map((q): ChartQuestion => ({
    id: q.id, name: displayName(q), type: q.type, rules: (Array.isArray(q.rules) ? q.rules : []) as unknown as StoredRule[],
  }));
  const { filters, errors } = parseChartFilters(req.query as Record<string, unknown>, {
    fieldKeys: fields.map((f) => f.key), groupIds: groups.map((g) => g.id), timeZone: req.org!.timezone,
  });
  return {
    poll,
    questions,
    fields: fields.map((f) => ({ key: f.key, label: fieldDisplayName(f) })),
    groups,
    filters,
    errors: translateErrors(errors, req.t),
    mode: readOrgSettings(req.org!.settings).sameDayMode,
    selection: chartSelection(req.regions!, filters),
  };
}

/**
 * The poll runs the charts show (spec §13.2): the poll's runs conducted within the date range; for
 * "All regions" only universal and spoofed ones, for a region those visible for it (§12.1);
 * oldest first, each with its org-local date and the links its points open, filters kept.
 * @param req the request.
 * @param pollId the poll.
 * @param filters valid filters.
 * @returns the charted poll runs.
 */
export async function chartedPollRuns(req: Request, pollId: number, filters: ChartFilters): Promise<ChartPollRun[]> {
  const orgId = req.org!.id;
  const context = req.regions!;
  const timeZone = req.org!.timezone;
  const { start, endExclusive } = filterInstants(filters, timeZone);
  const current = context.current?.id ?? null;
  const [runs, regions] = await Promise.all([
    orgDb(orgId).pollRun.findMany({
      where: {
        pollId,
        conductedOn: { ...(start && { gte: start }), ...(endExclusive && { lt: endExclusive }) },
        ...(current === null && { type: { in: ['universal', 'spoofed'] } }),
      },
      orderBy: [{ conductedOn: 'asc' }, { id: 'asc' }],
      select: { id: true, type: true, regionId: true, conductedOn: true },
    }),
    current === null ? [] : orgDb(orgId).region.findMany({ where: { isActive: true }, select: { id: true, parentId: true } }),
  ]);
  const links = regionLinks(regions);
  const query = filterQuery({ group: filters.group, contact: filters.contact }, context);
  return runs
    .filter((run) => current === null || visibleForRegion(run, current, context.includeSubregions, links))
    .map((run) => ({
      id: run.id,
      date: localDay(run.conductedOn, timeZone),
      url: withQuery(`/pollruns/${run.id}`, query),
      participationUrl: withQuery(`/pollruns/${run.id}/participation`, query),
    }));
}

/**
 * Region id → boundary id for the regions a page shows that are linked to a boundary.
 * @param req the request (its region context).
 * @param selection the page's selection.
 * @returns the links.
 */
export function regionBoundaries(req: Request, selection: ChartSelection): Map<number, number> {
  const shown = selection.regionIds ? new Set(selection.regionIds) : null;
  return new Map(req.regions!.tree.filter((r) => r.boundaryId !== null && (!shown || shown.has(r.id))).map((r) => [r.id, r.boundaryId!]));
}

/**
 * Whether to tell the reader that maps need regions linked to boundaries (spec §13.7): admins of
 * an org none of whose regions has a boundary, who can link them on the regions page.
 * @param req the request (its actor and region context).
 * @returns true to show the hint.
 */
export function showMapHint(req: Request): boolean {
  return can(req.actor!, 'org:manage') && !req.regions!.tree.some((r) => r.boundaryId !== null);
}

/**
 * Boundary id → name for the given boundaries.
 * @param orgId the org.
 * @param ids boundary ids.
 * @returns the names.
 */
export async function boundaryNames(orgId: number, ids: Iterable<number>): Promise<Map<number, string>> {
  const rows = await orgDb(orgId).boundary.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return new Map(rows.map((b) => [b.id, b.name]));
}

async function chartRequest(req: Request) {
  const charts = await loadPollCharts(req);
  const questionId = Number(req.params.questionId);
  const question = charts.questions.find((q) => q.id === questionId);
  if (!question) throw new NotFoundError();
  if (Object.keys(charts.errors).length) throw new ValidationError(charts.errors);
  return { ...charts, question, runs: await chartedPollRuns(req, charts.poll.id, charts.filters) };
}

/** GET /polls/:id/charts/:questionId.json: a question's chart over time, filters applied (§13.3–13.5). */
export async function chart(req: Request, res: Response) {
  const { question, runs, mode, selection, filters } = await chartRequest(req);
  const split = filters.splitByRegion ? new Map(req.regions!.tree.map((r) => [r.id, r.name])) : null;
  const payload = await overTimeChart(req.org!.id, question, { runs, mode, selection, split, t: req.t });
  if (!payload) throw new NotFoundError();
  res.json(payload);
}

/** GET /polls/:id/maps/:questionId.json: a question's map over the charted poll runs (§13.7); 404 without map data. */
export async function map(req: Request, res: Response) {
  const { question, runs, mode, selection } = await chartRequest(req);
  if (!hasMapKind(question.type)) throw new NotFoundError();
  const boundaryOfRegion = regionBoundaries(req, selection);
  const payload = await questionMap(req.org!.id, question, {
    pollRunIds: runs.map((r) => r.id), mode, selection, boundaryOfRegion,
    boundaryNames: await boundaryNames(req.org!.id, boundaryOfRegion.values()), language: req.language, t: req.t,
  });
  if (!payload) throw new NotFoundError();
  res.json(payload);
}

/**
 * A summary table's rows (spec §13.8): numbers with one decimal and thousands separators.
 * @param summary the summary.
 * @param t the translator.
 * @param language the reader's language.
 * @returns label/value rows.
 */
export function presentSummary(summary: Summary, t: (key: string) => string, language: string): { label: string; value: string }[] {
  const format = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return [
    { label: t(msg('Mean')), value: format.format(summary.mean) },
    { label: t(msg('Standard deviation')), value: format.format(summary.stdev) },
    { label: t(msg('Response rate average (%)')), value: format.format(summary.rateAverage) },
  ];
}
