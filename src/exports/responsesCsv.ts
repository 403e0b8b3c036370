import { z } from 'zod';
import { db } from '../db/client.js';
import { responseStatusCounts } from '../db/counterReads.js';
import { countResponses, responseCsvBatches, type ResponseSelection } from '../db/responseRows.js';
import { displayName } from '../polls/flows.js';
import { orderQuestions } from '../polls/present.js';
import { orgDb } from '../tenancy/orgDb.js';
import { mapBatches, spreadsheetSafe, type CsvSource } from './csvStream.js';
import { ContactPlaceNames } from './names.js';

/** What a poll run's responses export needs to be built again (by the request, or later by a job). */
export const ResponsesExportParamsSchema = z.object({
  pollRunId: z.number().int().positive(),
  /** The region context's regions (spec §12.4: the current region's subtree). */
  regionIds: z.array(z.number().int().positive()),
  /** A reporter group (null: every contact). */
  groupId: z.number().int().positive().nullable().default(null),
  /** Contact field filters (§20.2): data-field key → text the value contains. */
  contact: z.record(z.string().max(255), z.string().max(255)).default({}),
});
export type ResponsesExportParams = z.infer<typeof ResponsesExportParamsSchema>;

/** The fixed columns of spec §19, before one column per question. */
export const RESPONSES_CSV_COLUMNS = ['Date', 'Name', 'URN', 'Region', 'Reporter groups'];

/**
 * The questions a poll's pages and exports show, in display order: active and still in the flow.
 * @param orgId the org.
 * @param pollId the poll.
 * @returns the questions.
 */
export async function shownQuestions(orgId: number, pollId: number) {
  return orderQuestions(await orgDb(orgId).question.findMany({ where: { pollId, isActive: true, isMissingInRapidPro: false } }));
}

/**
 * The responses an export (or, without superseded ones, the responses tab) reads.
 * @param params the poll run, regions and filters.
 * @param includeSuperseded every submission (the CSV), or only active responses (the tab).
 * @returns the selection.
 */
export function selectionOf(params: ResponsesExportParams, includeSuperseded = true): ResponseSelection {
  const fieldFilters = Object.entries(params.contact).map(([key, value]) => ({ key, value }));
  return { pollRunId: params.pollRunId, regionIds: params.regionIds, groupId: params.groupId, fieldFilters, includeSuperseded };
}

/**
 * A cheap estimate of the export's rows, from the counters: the poll run's active non-empty
 * responses in the regions (and reporter group). Superseded submissions add a few more; contact
 * filters remove some.
 * @param orgId the org.
 * @param params the export.
 * @returns the estimate.
 */
export async function estimateResponsesRows(orgId: number, params: ResponsesExportParams): Promise<number> {
  const scope = { regionIds: params.regionIds, reporterGroupId: params.groupId ?? 0 };
  const counts = (await responseStatusCounts(orgId, [params.pollRunId], scope)).get(params.pollRunId)!;
  return counts.C + counts.P;
}

/**
 * The exact number of rows of the export (one count bounded by the poll run).
 * @param orgId the org.
 * @param params the export.
 * @returns the row count.
 */
export function countResponsesRows(orgId: number, params: ResponsesExportParams): Promise<number> {
  return countResponses(orgId, selectionOf(params));
}

/**
 * A poll run's responses as CSV (spec §19): Date, Name, URN, Region, Reporter groups, then the
 * raw value of each shown question; every non-empty submission in the region context, superseded
 * ones included, newest change first.
 * @param orgId the org.
 * @param params the export.
 * @returns the source, or null when the poll run is gone.
 */
export async function responsesCsv(orgId: number, params: ResponsesExportParams): Promise<CsvSource | null> {
  const run = await orgDb(orgId).pollRun.findFirst({ where: { id: params.pollRunId }, select: { pollId: true } });
  if (!run) return null;
  const [org, questions, names] = await Promise.all([
    db().org.findUniqueOrThrow({ where: { id: orgId }, select: { timezone: true } }),
    shownQuestions(orgId, run.pollId),
    ContactPlaceNames.load(orgId),
  ]);
  const rows = responseCsvBatches(orgId, selectionOf(params), questions.map((q) => q.id), org.timezone);
  return {
    header: [...RESPONSES_CSV_COLUMNS, ...questions.map(displayName)],
    batches: mapBatches(rows, (row) => {
      const [date, name, urn, regionId, groupIds, ...answers] = row as [string, string, string, number, string, ...string[]];
      return [date, spreadsheetSafe(name), urn, names.region(regionId), names.groupList(groupIds), ...answers.map(spreadsheetSafe)];
    }),
  };
}
