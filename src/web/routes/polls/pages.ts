import type { Request, Response } from 'express';
import { filterQuery, withQuery, type ChartFilters } from '../../../dashboard/filters.js';
import { overTimeKind, overTimeSummaries, questionsWithMaps } from '../../../dashboard/pollCharts.js';
import { NotFoundError } from '../../../errors.js';
import { msg } from '../../../i18n/msg.js';
import { syncTask } from '../../../jobs/tasks/SyncTask.js';
import { isOfferedFlow } from '../../../polls/flows.js';
import { selectPolls } from '../../../polls/pollSelector.js';
import { updatePoll, type QuestionEdit } from '../../../polls/pollUpdater.js';
import { orderQuestions, presentPoll, presentQuestion, sortByName } from '../../../polls/present.js';
import { QUESTION_TYPES } from '../../../polls/rules.js';
import { refreshInBand } from '../../../sync/inBand.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { idParam, translateErrors } from '../../forms.js';
import { orgRegionLinks, visibleRunsWhere } from '../pollruns/visibility.js';
import { parseForm } from '../../middleware/validate.js';
import { chartedPollRuns, loadPollCharts, presentSummary, regionBoundaries, showMapHint } from './charts.js';
import { PollEditSchema, PollSelectSchema, type PollEditInput } from './schema.js';

/**
 * GET /polls: the tracked polls by name (spec §17.7), with their shown questions counted, the poll
 * runs visible for the region context (§12.1) and the latest of them; admins get the setup guide.
 */
export async function index(req: Request, res: Response) {
  const orgId = req.org!.id;
  const visible = visibleRunsWhere(req.regions!, await orgRegionLinks(orgId));
  const [polls, counts, runs, regions, groups] = await Promise.all([
    orgDb(orgId).poll.findMany({ where: { isActive: true } }),
    orgDb(orgId).question.groupBy({ by: ['pollId'], where: { isActive: true, isMissingInRapidPro: false }, _count: { _all: true } }),
    orgDb(orgId).pollRun.groupBy({ by: ['pollId'], where: visible, _count: { _all: true }, _max: { conductedOn: true } }),
    orgDb(orgId).region.count({ where: { isActive: true } }),
    orgDb(orgId).reporterGroup.count({ where: { isActive: true } }),
  ]);
  const questions = new Map(counts.map((c) => [c.pollId, c._count._all]));
  const dates = new Map(runs.map((r) => [r.pollId, { count: r._count._all, last: r._max.conductedOn }]));
  const rows = sortByName(polls.map((p) => ({ ...presentPoll(p), questions: questions.get(p.id) ?? 0, pollRuns: dates.get(p.id)?.count ?? 0, lastConducted: dates.get(p.id)?.last ?? null })));
  res.render('pages/polls/index.njk', { rows, step: !regions ? 1 : !groups ? 2 : rows.length ? 4 : 3 });
}

/** GET /polls/select: every offered flow (refreshed first, best effort), tracked ones ticked. */
export async function selectForm(req: Request, res: Response) {
  const orgId = req.org!.id;
  const refreshed = req.org!.apiTokenEncrypted ? await refreshInBand(orgId, 'flows') : null;
  const polls = await orgDb(orgId).poll.findMany();
  renderSelect(res, polls.filter((p) => isOfferedFlow(p.rapidproName)).map(presentPoll), { stale: refreshed?.status !== 'done' });
}

function renderSelect(res: Response, polls: ReturnType<typeof presentPoll>[], extra: { stale: boolean; error?: string }) {
  const options = [...polls].sort((a, b) => a.rapidproName.localeCompare(b.rapidproName, undefined, { sensitivity: 'base' }));
  res.render('pages/polls/select.njk', { options, ...extra });
}

/** POST /polls/select: the tracked set becomes the selection (atomically), then the flows sync fetches questions. */
export async function select(req: Request, res: Response) {
  const orgId = req.org!.id;
  const parsed = PollSelectSchema.safeParse(req.body);
  const result = parsed.success ? await selectPolls(orgId, parsed.data.polls) : null;
  if (!result?.ok) {
    const polls = await orgDb(orgId).poll.findMany();
    res.status(400);
    return renderSelect(res, polls.filter((p) => isOfferedFlow(p.rapidproName)).map(presentPoll), { stale: false, error: req.t('Some of the chosen polls do not exist any more. Nothing was changed.') });
  }
  if (req.org!.apiTokenEncrypted) await syncTask.enqueue(orgId, 'flows', true);
  req.flash('success', req.t('Polls updated: {{count}} tracked. Their questions will be updated shortly.', { count: result.tracked }));
  res.redirect(303, '/polls');
}

const TYPE_LABELS = {
  open: msg('Open-ended'),
  multiple_choice: msg('Multiple choice'),
  numeric: msg('Numeric'),
  menu: msg('Menu'),
  keypad: msg('Keypad'),
  recording: msg('Recording'),
} as const satisfies Record<(typeof QUESTION_TYPES)[number], string>;

/**
 * The question type names in the reader's language.
 * @param req the request.
 * @returns type → label.
 */
export function typeLabels(req: Request): Record<string, string> {
  return Object.fromEntries(QUESTION_TYPES.map((type) => [type, req.t(TYPE_LABELS[type])]));
}

async function trackedPoll(req: Request) {
  const poll = await orgDb(req.org!.id).poll.findFirst({ where: { id: idParam(req.params), isActive: true }, include: { questions: true } });
  if (!poll) throw new NotFoundError();
  return poll;
}

/** GET /polls/:id: the filter form, then per shown question its chart (or map) and summary table (spec §13.2–13.7). */
export async function show(req: Request, res: Response) {
  const charts = await loadPollCharts(req);
  const { poll, questions, filters, errors, mode, selection } = charts;
  const locals = {
    poll: presentPoll(poll),
    typeLabels: typeLabels(req),
    filterForm: { fields: charts.fields, groups: charts.groups, filters, errors, action: `/polls/${poll.id}`, dates: true },
    allRegions: !req.regions!.current,
    regionName: req.regions!.current?.name ?? null,
    mapHint: showMapHint(req),
  };
  if (Object.keys(errors).length) return res.render('pages/polls/show.njk', { ...locals, sections: null });
  const runs = await chartedPollRuns(req, poll.id, filters);
  const pollRunIds = runs.map((r) => r.id);
  const boundaryOfRegion = regionBoundaries(req, selection);
  const [summaries, maps] = await Promise.all([
    overTimeSummaries(req.org!.id, { questionIds: questions.map((q) => q.id), pollRunIds, mode, selection }),
    questionsWithMaps(req.org!.id, questions, { pollRunIds, mode, selection, boundaryOfRegion }),
  ]);
  const query = filterQuery(filters, req.regions);
  const sections = questions.map((q) => {
    const kind = overTimeKind(q.type);
    const data = summaries.get(q.id);
    return {
      id: q.id,
      name: q.name,
      type: q.type,
      kind,
      hasData: Boolean(data),
      chartSrc: withQuery(`/polls/${poll.id}/charts/${q.id}.json`, query),
      mapSrc: maps.has(q.id) ? withQuery(`/polls/${poll.id}/maps/${q.id}.json`, query) : null,
      summary: data && (kind === 'numeric' || kind === 'categorical') ? presentSummary(data.summary, req.t, req.language) : null,
    };
  });
  const wholeRange = runs.length ? null : await wholeRangeLink(req, poll.id, filters);
  res.render('pages/polls/show.njk', { ...locals, sections, numericMode: filters.numeric, pollRunCount: runs.length, wholeRange });
}

/**
 * When no poll run falls in the chosen dates, a link to the dates that hold every visible one, so
 * a reader of an org whose last poll was months ago is not left before empty charts.
 */
async function wholeRangeLink(req: Request, pollId: number, filters: ChartFilters) {
  const everything = await chartedPollRuns(req, pollId, { ...filters, dateRange: 'custom', startDate: null, endDate: null });
  if (!everything.length) return null;
  const range = { ...filters, dateRange: 'custom' as const, startDate: everything[0]!.date, endDate: everything.at(-1)!.date };
  return { count: everything.length, start: range.startDate, end: range.endDate, url: withQuery(`/polls/${pollId}`, filterQuery(range, req.regions)) };
}

function editLocals(req: Request, poll: Awaited<ReturnType<typeof trackedPoll>>, values: { name: string; questions: Record<string, Record<string, unknown>> }, errors: Record<string, string>) {
  return { poll: presentPoll(poll), questions: orderQuestions(poll.questions).map(presentQuestion), types: QUESTION_TYPES, typeLabels: typeLabels(req), values, errors };
}

/** GET /polls/:id/edit: the poll's display name and every question (shown or not). */
export async function edit(req: Request, res: Response) {
  const poll = await trackedPoll(req);
  const questions = Object.fromEntries(
    poll.questions.map((q) => [`q${q.id}`, { name: q.customName ?? q.rapidproName, type: q.type, shown: q.isActive, order: q.adminOrder ?? '' }]),
  );
  res.render('pages/polls/edit.njk', editLocals(req, poll, { name: poll.customName ?? poll.rapidproName, questions }, {}));
}

/** POST /polls/:id/edit: saves everything at once, or re-renders with the errors. */
export async function update(req: Request, res: Response) {
  const poll = await trackedPoll(req);
  const { data, errors } = parseForm(PollEditSchema, req.body);
  if (!data) {
    const body = req.body as { name?: string; questions?: Record<string, Record<string, unknown>> };
    res.status(400);
    return res.render('pages/polls/edit.njk', editLocals(req, poll, { name: body.name ?? '', questions: body.questions ?? {} }, translateErrors(errors, req.t)));
  }
  await updatePoll(req.org!.id, poll.id, { name: data.name, questions: questionEdits(data) });
  req.flash('success', req.t('Poll saved.'));
  res.redirect(303, `/polls/${poll.id}`);
}

function questionEdits(data: PollEditInput): Map<number, QuestionEdit> {
  return new Map(Object.entries(data.questions).map(([key, q]) => [Number(key.slice(1)), q]));
}
