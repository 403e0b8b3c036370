import type { Request, Response } from 'express';
import { withQuery } from '../../../dashboard/filters.js';
import { chartSelection, hasMapKind, pollRunChart, pollRunKind, pollRunSummaries, questionMap, questionsWithMaps, type ChartQuestion } from '../../../dashboard/pollCharts.js';
import { NotFoundError, ValidationError } from '../../../errors.js';
import { displayName } from '../../../polls/flows.js';
import { orderQuestions } from '../../../polls/present.js';
import type { StoredRule } from '../../../polls/rules.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';
import { translateErrors } from '../../forms.js';
import { boundaryNames, presentSummary, regionBoundaries, showMapHint } from '../polls/charts.js';
import { typeLabels } from '../polls/pages.js';
import { pollRunHeader } from './present.js';
import { readRunFilters } from './filters.js';
import { loadPollRunInContext } from './scope.js';

/**
 * A poll run's Summary tab (spec §13.6, D7): per shown question a pie (multiple choice), a
 * histogram (numeric), a word cloud (open-ended) or category bars, a map, and a summary table,
 * for the responses of the region context narrowed by a reporter group and contact fields; and
 * its Map tab, the maps of every question at once.
 */

/** The poll run (404 unless visible and covering the region context, §12), its questions and filters. */
async function loadRunCharts(req: Request) {
  const [{ run }, { filters, errors, fields, groups, query }] = await Promise.all([loadPollRunInContext(req, { covering: true }), readRunFilters(req)]);
  const questions = await orgDb(req.org!.id).question.findMany({ where: { pollId: run.pollId, isActive: true, isMissingInRapidPro: false } });
  return {
    run,
    questions: orderQuestions(questions).map((q): ChartQuestion => ({
      id: q.id, name: displayName(q), type: q.type, rules: (Array.isArray(q.rules) ? q.rules : []) as unknown as StoredRule[],
    })),
    fields,
    groups,
    filters,
    query,
    errors: translateErrors(errors, req.t),
    mode: readOrgSettings(req.org!.settings).sameDayMode,
    selection: chartSelection(req.regions!, filters),
  };
}

/** What the Summary and Map tabs both show: the header, the tabs' query and the filter form. */
async function tabLocals(req: Request, charts: Awaited<ReturnType<typeof loadRunCharts>>, active: 'summary' | 'map') {
  const { run, filters, errors, query } = charts;
  return {
    pollRun: await pollRunHeader(req, run),
    active,
    query,
    filterForm: { fields: charts.fields, groups: charts.groups, filters, errors, action: `/pollruns/${run.id}${active === 'map' ? '/map' : ''}`, dates: false },
  };
}

/** GET /pollruns/:id: the Summary tab. */
export async function show(req: Request, res: Response) {
  const charts = await loadRunCharts(req);
  const { run, questions, errors, mode, selection } = charts;
  const locals = await tabLocals(req, charts, 'summary');
  const { query } = locals;
  if (Object.keys(errors).length) return res.render('pages/pollruns/summary.njk', { ...locals, sections: null });
  const boundaryOfRegion = regionBoundaries(req, selection);
  const [summaries, maps] = await Promise.all([
    pollRunSummaries(req.org!.id, { questionIds: questions.map((q) => q.id), pollRunId: run.id, mode, selection }),
    questionsWithMaps(req.org!.id, questions, { pollRunIds: [run.id], mode, selection, boundaryOfRegion }),
  ]);
  const sections = questions.map((q) => {
    const data = summaries.get(q.id);
    const kind = pollRunKind(q.type);
    return {
      id: q.id,
      name: q.name,
      type: q.type,
      kind,
      hasData: Boolean(data),
      chartSrc: withQuery(`/pollruns/${run.id}/charts/${q.id}.json`, query),
      mapSrc: maps.has(q.id) ? withQuery(`/pollruns/${run.id}/maps/${q.id}.json`, query) : null,
      summary: data && kind !== 'wordcloud' ? presentSummary(data.summary, req.t, req.language) : null,
    };
  });
  res.render('pages/pollruns/summary.njk', { ...locals, sections, typeLabels: typeLabels(req), regionName: req.regions!.current?.name ?? null });
}

/**
 * GET /pollruns/:id/map: the Map tab, every question of the poll run with map data (spec §13.7:
 * boundaries coloured by the rule category of the numeric average, or by the leading category),
 * for the same responses and filters as the Summary tab.
 */
export async function mapTab(req: Request, res: Response) {
  const charts = await loadRunCharts(req);
  const { run, questions, errors, mode, selection } = charts;
  const locals = await tabLocals(req, charts, 'map');
  const mapHint = showMapHint(req);
  if (Object.keys(errors).length) return res.render('pages/pollruns/map.njk', { ...locals, maps: null, mapHint });
  const withMaps = await questionsWithMaps(req.org!.id, questions, { pollRunIds: [run.id], mode, selection, boundaryOfRegion: regionBoundaries(req, selection) });
  const maps = questions.filter((q) => withMaps.has(q.id)).map((q) => ({ id: q.id, name: q.name, src: withQuery(`/pollruns/${run.id}/maps/${q.id}.json`, locals.query) }));
  res.render('pages/pollruns/map.njk', { ...locals, maps, mapHint, regionName: req.regions!.current?.name ?? null });
}

async function chartRequest(req: Request) {
  const charts = await loadRunCharts(req);
  const question = charts.questions.find((q) => q.id === Number(req.params.questionId));
  if (!question) throw new NotFoundError();
  if (Object.keys(charts.errors).length) throw new ValidationError(charts.errors);
  return { ...charts, question };
}

/** GET /pollruns/:id/charts/:questionId.json: a question's chart in this poll run. */
export async function chart(req: Request, res: Response) {
  const { run, question, mode, selection } = await chartRequest(req);
  res.json(await pollRunChart(req.org!.id, question, { pollRunId: run.id, mode, selection, t: req.t }));
}

/** GET /pollruns/:id/maps/:questionId.json: a question's map in this poll run; 404 without map data. */
export async function map(req: Request, res: Response) {
  const { run, question, mode, selection } = await chartRequest(req);
  if (!hasMapKind(question.type)) throw new NotFoundError();
  const boundaryOfRegion = regionBoundaries(req, selection);
  const payload = await questionMap(req.org!.id, question, {
    pollRunIds: [run.id], mode, selection, boundaryOfRegion,
    boundaryNames: await boundaryNames(req.org!.id, boundaryOfRegion.values()), language: req.language, t: req.t,
  });
  if (!payload) throw new NotFoundError();
  res.json(payload);
}
