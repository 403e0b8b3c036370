import type { Request, Response } from 'express';
import { countParticipationRows, participationContactsWhere, participationCsv, PARTICIPATION_LABELS, type ParticipationExportParams } from '../../../exports/participationCsv.js';
import { ContactPlaceNames, pollRunHeading } from '../../../exports/names.js';
import { paginate } from '../../../lib/pagination.js';
import { can } from '../../../policies/index.js';
import { orgDb } from '../../../tenancy/orgDb.js';
import { sendCsvOrStartExport } from '../exports/send.js';
import { contextRegionIds, orgRegionLinks, visibleRunsWhere } from '../pollruns/visibility.js';
import type { ParticipationIndexInput } from './schema.js';

/** How many of the latest poll runs the matrix shows. */
export const PARTICIPATION_RUNS = 5;

/**
 * The matrix's poll runs and contacts for the request: the latest poll runs visible for the
 * region context (spec §12.1) and the active contacts of its regions, narrowed by the search.
 */
async function matrixParams(req: Request) {
  const orgId = req.org!.id;
  const runs = await orgDb(orgId).pollRun.findMany({
    where: visibleRunsWhere(req.regions!, await orgRegionLinks(orgId)),
    include: { poll: true },
    orderBy: [{ conductedOn: 'desc' }, { id: 'desc' }],
    take: PARTICIPATION_RUNS,
  });
  const { search } = req.input as ParticipationIndexInput;
  const params: ParticipationExportParams = {
    pollRunIds: runs.map((r) => r.id),
    regionIds: contextRegionIds(req.regions!),
    terms: search.split(/\s+/).filter(Boolean),
    language: req.language,
  };
  return { runs, params };
}

/**
 * GET /participation: contacts (25 a page, by name) × the latest poll runs, each cell complete,
 * partial or none. Statuses are read for the page's contacts and these poll runs only.
 */
export async function index(req: Request, res: Response) {
  const orgId = req.org!.id;
  const input = req.input as ParticipationIndexInput;
  const { runs, params } = await matrixParams(req);
  const total = await countParticipationRows(orgId, params);
  const pager = paginate(input.page, total);
  const [contacts, names] = await Promise.all([
    orgDb(orgId).contact.findMany({
      where: participationContactsWhere(params),
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      skip: pager.skip,
      take: pager.take,
      select: { id: true, name: true, urn: true, regionId: true },
    }),
    ContactPlaceNames.load(orgId),
  ]);
  const responses = contacts.length && runs.length
    ? await orgDb(orgId).response.findMany({
      where: { pollRunId: { in: params.pollRunIds }, contactId: { in: contacts.map((c) => c.id) }, isActive: true },
      select: { pollRunId: true, contactId: true, status: true },
    })
    : [];
  const status = new Map(responses.map((r) => [`${r.pollRunId}:${r.contactId}`, r.status]));
  const query = new URLSearchParams(input.search ? { search: input.search } : {}).toString();
  res.render('pages/participation/index.njk', {
    runs: runs.map((r) => ({ id: r.id, heading: pollRunHeading(r, req.org!.timezone) })),
    rows: contacts.map((c) => ({
      id: c.id,
      name: c.name || c.urn?.replace(/^[a-z]+:/, '') || '',
      region: names.region(c.regionId),
      cells: runs.map((r) => cell(status.get(`${r.id}:${c.id}`))),
    })),
    labels: { C: req.t(PARTICIPATION_LABELS.C), P: req.t(PARTICIPATION_LABELS.P), N: req.t(PARTICIPATION_LABELS.N) },
    search: input.search,
    linkContacts: can(req.actor!, 'contacts:manage'),
    pager: { ...pager, total },
    query: query ? `${query}&` : '',
    csvQuery: query,
  });
}

/** A cell's kind: complete, partial, or none (N: an empty response or no response). */
function cell(status: string | undefined): 'C' | 'P' | 'N' {
  return status === 'C' || status === 'P' ? status : 'N';
}

/** GET /participation.csv: the whole matrix as CSV, streamed, or built by a job above the row limit. */
export async function csv(req: Request, res: Response) {
  const orgId = req.org!.id;
  const { params } = await matrixParams(req);
  await sendCsvOrStartExport(req, res, {
    kind: 'participation',
    params,
    estimatedRows: await countParticipationRows(orgId, params),
    build: () => participationCsv(orgId, params),
  });
}
