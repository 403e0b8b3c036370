import type { Request, Response } from 'express';
import { countResponses, responsePage } from '../../../db/responseRows.js';
import { ContactPlaceNames } from '../../../exports/names.js';
import { estimateResponsesRows, responsesCsv, selectionOf, shownQuestions, type ResponsesExportParams } from '../../../exports/responsesCsv.js';
import { paginate } from '../../../lib/pagination.js';
import { can } from '../../../policies/index.js';
import { displayName } from '../../../polls/flows.js';
import { valueToUse } from '../../../pollruns/sameDay.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { readOrgSettings } from '../../../tenancy/orgSettings.js';
import { sendCsvOrStartExport } from '../exports/send.js';
import { readRunFilters } from './filters.js';
import { pollRunHeader } from './present.js';
import type { PollRunResponsesInput } from './schema.js';
import { loadPollRunInContext } from './scope.js';

/** The export parameters of the request's poll run, region context and filters (the tab shows the same rows). */
async function exportParams(req: Request) {
  const [{ run, regionIds }, runFilters] = await Promise.all([loadPollRunInContext(req, { covering: true }), readRunFilters(req)]);
  const params: ResponsesExportParams = { pollRunId: run.id, regionIds, groupId: runFilters.filters.group, contact: runFilters.filters.contact };
  return { run, params, runFilters };
}

/** The note above the table: whose responses these are (spec §17.8). */
function regionNote(req: Request): string {
  const { current, includeSubregions } = req.regions!;
  if (!current) return req.t('Responses of contacts in every region.');
  return includeSubregions
    ? req.t('Responses of contacts in {{region}} and its sub-regions.', { region: current.name })
    : req.t('Responses of contacts in {{region}} only.', { region: current.name });
}

/**
 * GET /pollruns/:id/responses: the poll run's non-empty responses in the region context, newest
 * change first, 25 a page, with every shown question's answer (spec §17.8). The page count comes
 * from the counters unless contact filters need a count of the rows.
 */
export async function responses(req: Request, res: Response) {
  const { page } = req.input as PollRunResponsesInput;
  const { run, params, runFilters } = await exportParams(req);
  const orgId = req.org!.id;
  const selection = selectionOf(params, false);
  const total = Object.keys(params.contact).length ? await countResponses(orgId, selection) : await estimateResponsesRows(orgId, params);
  const pager = paginate(page, total);
  const [pollRun, questions, names, rows] = await Promise.all([
    pollRunHeader(req, run),
    shownQuestions(orgId, run.pollId),
    ContactPlaceNames.load(orgId),
    responsePage(orgId, selection, { offset: pager.skip, limit: pager.take }),
  ]);
  const answers = rows.length
    ? await orgDb(orgId).answer.findMany({
      where: { pollRunId: run.id, responseId: { in: rows.map((r) => r.id) }, questionId: { in: questions.map((q) => q.id) } },
      select: { responseId: true, questionId: true, value: true, lastValue: true, sumValue: true },
    })
    : [];
  const mode = readOrgSettings(req.org!.settings).sameDayMode;
  const byResponse = new Map<number, Map<number, (typeof answers)[number]>>();
  for (const a of answers) byResponse.set(a.responseId, (byResponse.get(a.responseId) ?? new Map()).set(a.questionId, a));
  res.render('pages/pollruns/responses.njk', {
    pollRun,
    query: runFilters.query,
    filters: runFilters,
    note: regionNote(req),
    linkContacts: can(req.actor!, 'contacts:manage'),
    questions: questions.map((q) => ({ id: q.id, name: displayName(q) })),
    rows: rows.map((r) => ({
      updatedOn: r.updatedOn,
      contactId: r.contactId,
      contact: r.name || r.urn?.replace(/^[a-z]+:/, '') || '',
      region: names.region(r.regionId),
      groups: names.groupList(r.groupIds),
      answers: questions.map((q) => {
        const answer = byResponse.get(r.id)?.get(q.id);
        if (!answer) return null;
        const value = valueToUse(answer, q.type, mode);
        // A recording's value is its audio URL (spec §17.8); anything else is shown as text.
        return { text: value, audio: q.type === 'recording' && /^https?:\/\//i.test(value) ? value : null };
      }),
    })),
    pager: { ...pager, total },
  });
}

/**
 * GET /pollruns/:id/responses.csv: the poll run's responses as CSV (spec §19), streamed, or built
 * by a job when above the inline row limit.
 */
export async function responsesCsvDownload(req: Request, res: Response) {
  const { params } = await exportParams(req);
  const orgId = req.org!.id;
  await sendCsvOrStartExport(req, res, {
    kind: 'pollrun-responses',
    params,
    estimatedRows: await estimateResponsesRows(orgId, params),
    build: () => responsesCsv(orgId, params),
  });
}
